import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowReport } from '../../src/analysis/report.js';
import { cardHtml, reportHtml } from '../../src/render/html.js';
import { ladderSteps } from '../../src/render/ladder.js';
import { ladderSvg, wrapNote } from '../../src/render/svg.js';
import { FIXTURES, golden, loadFixture } from './load.js';

/**
 * The report's SVG ladder of a fixture connection against fixtures/NAME.svg, and its structure:
 * two lifelines, one arrow per packet or fold, a label on each, the states where they change.
 * Regenerate: UPDATE_GOLDEN=1 npx vitest run test/report; review the diff.
 */
const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

describe('SVG ladder', () => {
  for (const name of ['course-half-close', 'refused', 'handbuilt-simultaneous-close']) {
    it(`${name}: golden file and structure`, async () => {
      const { report, origin, digits } = await loadFixture(`${name}.pcap`);
      const f = report.flows[0] as FlowReport;
      const svg = ladderSvg(f, { lang: 'en', origin, digits }) + '\n';
      golden(join(FIXTURES, `${name}.svg`), svg);

      const steps = ladderSteps(f, 'en');
      expect(svg.startsWith('<svg class="ladder" xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(count(svg, /<g class="lifeline (client|server)">/g)).toBe(2);
      expect(svg).toContain(`client ${f.client.ip}:${f.client.port}`);
      expect(count(svg, /<g class="arrow /g)).toBe(steps.length);
      expect(count(svg, /<text class="label"/g)).toBe(steps.length);
      for (const s of steps) expect(svg).toContain(`>${s.label}</text>`);
      const states = steps.flatMap((s) => (s.kind === 'packet' ? [s.clientState, s.serverState] : [])).filter((s) => s !== undefined);
      expect(count(svg, /<text class="state (client|server)"/g)).toBe(states.length);
      expect(svg).toContain(`>${f.finalState.client}</text>`);
    });
  }

  it('colours FINs red and RSTs inverse red', async () => {
    const { report, origin, digits } = await loadFixture('refused.pcap');
    const svg = ladderSvg(report.flows[0] as FlowReport, { lang: 'en', origin, digits });
    expect(svg).toMatch(/<g class="arrow packet tone-rst"[^>]*>.*<rect [^>]*fill="#c62828"\/><text class="label"[^>]*fill="#ffffff">RST, ACK/);
  });
});

describe('HTML report', () => {
  // The course's captures as pages, in English and Chinese: fixtures/NAME.report.html, NAME.zh.report.html.
  for (const name of ['course-close-then-data', 'course-half-close']) {
    for (const lang of ['en', 'zh'] as const) {
      it(`${name} (${lang}): golden page`, async () => {
        const { report, origin, digits } = await loadFixture(`${name}.pcap`);
        const page = [...reportHtml(report, { lang, origin, digits })].join('');
        // The style sheet and script are the same on every page (html/assets.ts; the browser test runs them): left out.
        const content = page.replace(/<style>[\s\S]*?<\/style>/, '<style>…</style>').replace(/<script>[\s\S]*?<\/script>/, '<script>…</script>');
        golden(join(FIXTURES, `${name}${lang === 'zh' ? '.zh' : ''}.report.html`), content);
        // Every packet number of the verdict links to a row of the page.
        const rows = new Set([...page.matchAll(/<tr id="([^"]+)"/g)].map((m) => m[1]));
        const links = [...page.matchAll(/<a class="ev" href="#([^"]+)"/g)].map((m) => m[1]);
        expect(links.length).toBeGreaterThan(2);
        for (const l of links) expect(rows.has(l), l).toBe(true);
      });
    }
  }

  it('wraps a long note onto lines that fit, counting wide characters as two columns', () => {
    expect(wrapNote('[TCP Retransmission] client FIN again (retransmitted)', 24)).toEqual(['[TCP Retransmission]', 'client FIN again', '(retransmitted)']);
    expect(wrapNote('客户端 FIN 之后的数据（3 字节）', 12)).toEqual(['客户端 FIN', '之后的数据（', '3 字节）']);
    expect(wrapNote('RST：服务器中止连接 ◀ 原因：空闲超时', 22)).toEqual(['RST：服务器中止连接', '◀ 原因：空闲超时']);
  });

  it('escapes every text from the capture', async () => {
    const { report, origin, digits } = await loadFixture('course-half-close.pcap');
    const f = report.flows[0] as FlowReport;
    const evil = '<script>alert(1)</script>"\'&';
    const bad: FlowReport = {
      ...f, client: { ip: evil, port: 1 }, history: evil,
    };
    const html = cardHtml(bad, { lang: 'en', origin, digits }, true);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
    const page = [...reportHtml({ ...report, capture: { ...report.capture, file: evil }, flows: [bad] }, { lang: 'en', origin, digits })].join('');
    expect(count(page, /<script>/g)).toBe(1); // the page's own
  });

  it('is self-contained: no URL it would fetch', async () => {
    const { report, origin, digits } = await loadFixture('lab-mixed.pcap');
    const page = [...reportHtml(report, { lang: 'en', origin, digits })].join('');
    expect(page).not.toMatch(/\b(src|href)="(?!#)/);
    expect(page).not.toMatch(/url\(|@import|@font-face/);
    expect(page).toContain(`default-src 'none'`);
  });
});

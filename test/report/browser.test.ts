import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowReport } from '../../src/analysis/report.js';
import { reportHtml } from '../../src/render/html.js';
import { ROOT, runCli } from '../golden/run-cli.js';
import { loadFixture } from './load.js';

/**
 * The HTML report opened in a real browser (Debian's chromium, driven by playwright-core): a card
 * for each connection, the verdicts, the class filter, no request leaving the file, and a
 * screenshot in test/report/__screenshots__/ (not committed) for a person to look at.
 */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/report/browser.test.ts: skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);

const SCREENSHOTS = join(import.meta.dirname, '__screenshots__');
const tmp = mkdtempSync(join(tmpdir(), 'teardown-report-'));

interface JsonFlow { id: number; teardown: { class: string; detail: string | null; explanation: string } }

describe.skipIf(!haveChromium)('teardown report in a real browser', () => {
  let browser: Browser;
  let page: Page;
  const external: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // No network on this machine, and none needed: background networking stays off.
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) external.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  }, 20_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lab-mixed: a card a connection, the verdicts, the filter, a screenshot', async () => {
    const out = join(tmp, 'lab-mixed.html');
    const r = runCli(['report', 'fixtures/lab-mixed.pcap', '-o', out]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const flows = (JSON.parse(runCli(['analyze', 'fixtures/lab-mixed.pcap', '--format', 'json', '--no-packets']).stdout) as { flows: JsonFlow[] }).flows;
    expect(flows).toHaveLength(6);

    await page.goto(pathToFileURL(out).href);
    await expect.poll(() => page.locator('.card').count()).toBe(6);
    await page.screenshot({ path: join(SCREENSHOTS, 'lab-mixed-top.png') });
    for (const f of flows) {
      const card = page.locator(`#flow-${f.id}`);
      await expect.poll(() => card.getAttribute('data-class')).toBe(f.teardown.class);
      // textContent: cards off screen are not rendered (content-visibility: auto), so innerText is empty there.
      await card.scrollIntoViewIfNeeded();
      expect(await card.locator('.verdict').isVisible()).toBe(true);
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(`Verdict: ${f.teardown.class}${f.teardown.detail ? ` (${f.teardown.detail})` : ''}`);
      expect(text).toContain(f.teardown.explanation);
      // Six connections: every card opens at load with its ladder and packet table.
      expect(await card.locator('svg.ladder .arrow').count()).toBeGreaterThan(0);
      expect(await card.locator('table.packets tbody tr').count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'lab-mixed.png'), fullPage: true });

    await page.locator('.filters button[data-filter="graceful"]').click();
    const graceful = flows.filter((f) => f.teardown.class === 'graceful').map((f) => f.id);
    expect(graceful.length).toBeGreaterThan(0);
    for (const f of flows) expect(await page.locator(`#flow-${f.id}`).isVisible()).toBe(graceful.includes(f.id));
    expect(await page.locator('#shown').innerText()).toBe(String(graceful.length));
    await page.screenshot({ path: join(SCREENSHOTS, 'lab-mixed-graceful.png') });

    await page.locator('.chart [data-filter="refused"]').click(); // the chart's bars filter too
    for (const f of flows) expect(await page.locator(`#flow-${f.id}`).isVisible()).toBe(f.teardown.class === 'refused');
    await page.locator('.filters button[data-filter=""]').click();
    for (const f of flows) expect(await page.locator(`#flow-${f.id}`).isVisible()).toBe(true);

    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  /**
   * A 1,024 px window, as a classroom projector gives: nothing scrolls sideways, no ladder text
   * leaves its SVG, and each packet number of a verdict jumps to its row. In English and Chinese.
   */
  for (const [name, lang] of [['lab-mixed', 'en'], ['lab-mixed', 'zh']] as const) {
    it(`${name} (${lang}) at 1,024 px: no sideways scrolling, ladders inside their SVGs, evidence links to rows`, async () => {
      const out = join(tmp, `${name}-${lang}.html`);
      expect(runCli(['report', `fixtures/${name}.pcap`, '-o', out, '--lang', lang])).toEqual({ code: 0, stdout: '', stderr: '' });
      const narrow = await browser.newPage({ viewport: { width: 1024, height: 768 } });
      narrow.on('pageerror', (e) => errors.push(e.message));
      try {
        await narrow.goto(pathToFileURL(out).href);
        await expect.poll(() => narrow.locator('svg.ladder').count()).toBeGreaterThan(0);
        if (lang === 'zh') expect(await narrow.locator('html').getAttribute('lang')).toBe('zh-CN');
        const widths = await narrow.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
        expect(widths.scroll, 'page wider than the window').toBeLessThanOrEqual(widths.client);

        // Every text of every ladder within its viewBox (the browser's own measure of the glyphs drawn).
        const outside = await narrow.evaluate(() => {
          const bad: string[] = [];
          for (const svg of document.querySelectorAll<SVGSVGElement>('svg.ladder')) {
            const box = svg.viewBox.baseVal;
            for (const t of svg.querySelectorAll<SVGTextElement>('text')) {
              const b = t.getBBox();
              if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5) bad.push(`${t.textContent ?? ''}: ${b.x.toFixed(1)}–${(b.x + b.width).toFixed(1)} of ${box.width}`);
            }
            // Nor does the SVG itself stick out of its card.
            const wrap = svg.parentElement as HTMLElement;
            if (wrap.scrollWidth > wrap.clientWidth) bad.push(`svg ${svg.getAttribute('aria-label') ?? ''} ${wrap.scrollWidth} > ${wrap.clientWidth}`);
          }
          for (const wrap of document.querySelectorAll<HTMLElement>('.tablewrap')) {
            if (wrap.scrollWidth > wrap.clientWidth) bad.push(`packet table ${wrap.scrollWidth} > ${wrap.clientWidth}`);
          }
          return bad;
        });
        expect(outside).toEqual([]);
        await narrow.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}-1024.png`), fullPage: true });

        const links = await narrow.locator('a.ev').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        expect(links.length).toBeGreaterThan(0);
        for (const [i, href] of links.entries()) {
          await narrow.locator('a.ev').nth(i).click();
          const row = narrow.locator(href);
          expect(await row.count(), href).toBe(1);
          expect(await row.evaluate((r) => r.tagName), href).toBe('TR');
          await expect.poll(() => narrow.evaluate(() => location.hash)).toBe(href);
          // Scrolled to: the row is within the window.
          const inView = await row.evaluate((r) => {
            const b = r.getBoundingClientRect();
            return b.top >= 0 && b.bottom <= window.innerHeight;
          });
          expect(inView, href).toBe(true);
        }
        await narrow.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}-1024-jumped.png`) });
      } finally {
        await narrow.close();
      }
      expect(errors).toEqual([]);
    });
  }

  it('stays usable with thousands of connections: lazy cards, capped rows, quick filter', async () => {
    const { report, origin, digits } = await loadFixture('lab-mixed.pcap');
    const N = 3000;
    const flows: FlowReport[] = [];
    for (let i = 0; i < N; i++) {
      const f = report.flows[i % report.flows.length] as FlowReport;
      // Every 500th connection has 120 rows: its table shows ROWS_SHOWN until "show all".
      const rows = i % 500 === 0 ? Array.from({ length: 10 }, () => f.rows ?? []).flat().slice(0, 120) : f.rows;
      flows.push({ ...f, id: i + 1, rows });
    }
    const out = join(tmp, 'many.html');
    writeFileSync(out, [...reportHtml({ ...report, flows }, { lang: 'en', origin, digits })].join(''));

    const started = Date.now();
    await page.goto(pathToFileURL(out).href);
    expect(await page.locator('.card').count()).toBe(N);
    // Closed cards: no ladder or table in the document until a card is opened.
    expect(await page.locator('svg.ladder').count()).toBe(0);
    await page.locator('.filters button[data-filter="abort"]').click();
    expect(await page.evaluate(() => [...document.querySelectorAll('.card')].filter((c) => (c as HTMLElement).offsetParent !== null).length)).toBe(N / 6);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(10_000);

    await page.locator('.filters button[data-filter=""]').click();
    const first = page.locator('#flow-1');
    await first.locator('details.body > summary').click();
    await expect.poll(() => first.locator('svg.ladder').count()).toBe(1);
    expect(await first.locator('table.packets tbody tr').count()).toBe(50);
    await first.locator('button.show-all').click();
    expect(await first.locator('table.packets tbody tr').count()).toBe(120);
    await page.screenshot({ path: join(SCREENSHOTS, 'many.png') });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  });

  /** The benchmark's generator: OUT.pcap and its own verdict counts. */
  function generated(name: string, packets: number): { pcap: string; counts: { connections: number; byClass: Record<string, number> } } {
    const pcap = join(tmp, `${name}.pcap`);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'generate.mjs'), pcap, '--packets', String(packets)], { stdio: 'ignore' });
    return { pcap, counts: JSON.parse(readFileSync(`${pcap}.counts.json`, 'utf8')) as { connections: number; byClass: Record<string, number> } };
  }

  /**
   * docs/report.md: over 500 connections the page is a list drawn where it is seen, and a
   * connection's card is drawn when opened. 2 M generated packets, about 210,000 connections: the
   * page opens in 3 s, its list holds what its summary counts (the generator's own verdicts), a
   * scroll draws the rows of where it lands, and a connection searched for is found and opens with
   * its ladder and packet table.
   */
  it('200,000 connections: the list page opens within 3 s, scrolls, finds a connection and draws its ladder', async () => {
    const { pcap, counts } = generated('gen2m', 2_000_000);
    const out = join(tmp, 'gen2m.html');
    const r = runCli(['report', pcap, '-o', out]);
    expect(r.code).toBe(0);
    const bytes = statSync(out).size;
    console.log(`list page: ${counts.connections} connections, ${bytes} bytes`);

    const started = Date.now();
    await page.goto(pathToFileURL(out).href);
    await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
    const loaded = Date.now() - started;
    console.log(`list page: opened in ${loaded} ms`);
    expect(loaded).toBeLessThan(3_000);
    expect(await page.locator('article.card').count()).toBe(0); // no card until one is opened

    // The list's count is the summary's, and both are the generator's.
    expect(await page.locator('#shown').innerText()).toBe(String(counts.connections));
    const bars = await page.locator('.chart .bar').evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-filter'), Number(g.getAttribute('data-count'))] as const));
    expect(Object.fromEntries(bars)).toEqual(counts.byClass);

    // A scroll to the middle draws the rows there (the list is in id order: row j is connection j + 1).
    let t = Date.now();
    const middle = Math.floor(counts.connections / 2);
    await page.locator('#list-body').evaluate((b, j) => { b.scrollTop = j * 22; }, middle);
    await expect.poll(() => page.locator('.list .row:not([hidden])').first().innerText()).toMatch(new RegExp(`^#${middle - 4}\\b`));
    console.log(`list page: scrolled in ${Date.now() - t} ms`);
    expect(await page.locator('.list .row:not([hidden])').count()).toBeLessThan(80);

    // Connection 5 (its rows kept: it is among the first), found by its client's address.
    await page.locator('#list-body').evaluate((b) => { b.scrollTop = 0; });
    const five = page.locator('.list .row:not([hidden])').nth(4);
    await expect.poll(() => five.locator('span').first().innerText()).toBe('#5');
    const client = await five.locator('span').nth(1).innerText();
    const cls = await five.locator('span').nth(3).innerText();
    t = Date.now();
    await page.locator('#search').fill(`${client} `);
    await expect.poll(() => page.locator('#shown').innerText()).not.toBe(String(counts.connections));
    console.log(`list page: searched in ${Date.now() - t} ms`);
    const found = page.locator('.list .row:not([hidden])', { hasText: '#5' }).first();
    expect(await found.locator('span').nth(1).innerText()).toBe(client);
    t = Date.now();
    await found.click();
    await expect.poll(() => page.locator('#detail svg.ladder .arrow').count()).toBeGreaterThan(0);
    console.log(`list page: opened a connection in ${Date.now() - t} ms`);
    const card = page.locator('#detail article.card');
    expect(await card.getAttribute('id')).toBe('flow-5');
    expect(await card.locator('.badge').innerText()).toBe(cls);
    expect(await card.locator('.verdict').innerText()).toMatch(/^Verdict: /);
    expect(await card.locator('table.packets tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'list-200k.png') });
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it('the list page in Chinese: its words, a connection opened by its link', async () => {
    const { pcap, counts } = generated('gen20k', 20_000);
    expect(counts.connections).toBeGreaterThan(500);
    const out = join(tmp, 'gen20k-zh.html');
    expect(runCli(['report', pcap, '-o', out, '--lang', 'zh']).code).toBe(0);
    await page.goto(`${pathToFileURL(out).href}#flow-3`);
    await page.waitForSelector('body[data-ready]');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('.list-head').innerText()).toContain('客户端');
    await expect.poll(() => page.locator('#detail article.card').getAttribute('id')).toBe('flow-3');
    expect(await page.locator('#detail .verdict').innerText()).toMatch(/^判定/);
    expect(await page.locator('#detail svg.ladder').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'list-zh.png') });

    // A connection of each class, opened: its words are the text report's (the numbers put back as they were).
    const flows = (JSON.parse(runCli(['analyze', pcap, '--format', 'json', '--no-packets', '--lang', 'zh']).stdout) as { flows: JsonFlow[] }).flows;
    expect(flows).toHaveLength(counts.connections);
    const oneOfEach = [...new Map(flows.map((f) => [`${f.teardown.class}/${f.teardown.detail ?? ''}`, f])).values()];
    for (const f of oneOfEach) {
      await page.evaluate((id) => { location.hash = `#flow-${id}`; }, f.id);
      await expect.poll(() => page.locator('#detail article.card').getAttribute('id')).toBe(`flow-${f.id}`);
      // innerText is the rendered text: read at once after the card was placed, on a busy machine it came back empty once.
      await expect.poll(() => page.locator('#detail .explanation').innerText()).toBe(f.teardown.explanation);
    }
    expect(errors).toEqual([]);
  });
}, 30_000);

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Lang } from '../../src/render/notes.js';
import type { FlowReport } from '../../src/analysis/report.js';
import type { CaptureDamage, CaptureInfo } from '../../src/capture/record.js';
import { BatchedOutput } from '../../src/cli/output.js';
import { StreamedText } from '../../src/cli/analyze-text.js';
import type { TcpSegment } from '../../src/decode/segment.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { flowText } from './text-oracle.js';
import { SummaryTable, summaryText } from '../../src/render/summary-table.js';
import { writeFlowBlock } from '../../src/render/text-columns.js';
import { fixtureCaptures, readFixture } from './fixtures.js';
import type { Step } from './segments.js';
import { HANDSHAKE, segment } from './segments.js';

/** A table of one row, drawn. */
function oneRow(add: (table: SummaryTable) => void, lang: Lang = 'en'): string {
  const table = new SummaryTable(undefined, lang);
  add(table);
  const out = new ByteLines();
  table.draw(out);
  table.close();
  return out.take().toString('utf8');
}

/** The text report without rows from FlowReports (text.ts, summaryText), and from the store's columns (text-columns.ts, SummaryTable.add), side by side. */
function bothWays(lang: Lang, color: boolean) {
  const blocks: string[] = [];
  const flows: FlowReport[] = [];
  const fromColumns = new ByteLines();
  const chunks: Buffer[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (chunks.push(Buffer.from(chunk)), done()) });
  const batched = new BatchedOutput(sink);
  const streamed = new StreamedText(batched, color, lang);
  const byReport: Analyzer = new Analyzer('t', { packets: false });
  const written: string[] = [];
  const released: number[] = [];
  /** Every row, in the order released, also in a table that spills to a file after 1,000 bytes. */
  const spilled = new SummaryTable({ chunkBytes: 200, spillBytes: 1000 }, lang);
  const bySlot = new Analyzer('t', {
    packets: false, keepFlows: false,
    onFlow: (c, v) => {
      const id = c.id;
      released.push(id);
      writeFlowBlock(fromColumns, c, v, lang, color);
      spilled.keep(spilled.rowCopy(c, v));
      // The connection's summary row, alone in a table.
      written[id] = fromColumns.take().toString('utf8') + '\u0000' + oneRow((table) => table.add(c, v), lang);
      streamed.add(c, v, true);
    },
  });
  /** What each way wrote, connection by connection, and the whole streamed report against text.ts's. */
  const results = (info?: CaptureInfo, damage?: CaptureDamage) => {
    const report = bySlot.finish(info, damage);
    for (const f of byReport.finish(info, damage).flows) {
      blocks[f.id] = flowText(f, { color, lang, time: 'relative', origin: { sec: 0, nsec: 0 }, digits: 6 }) + '\n';
      flows[f.id] = f;
    }
    streamed.finish(report);
    batched.flush();
    const shown = flows.filter((f) => f !== undefined);
    const spilledText = new ByteLines();
    spilled.draw(spilledText);
    spilled.close();
    return {
      spilled: spilledText.take().toString('utf8'),
      released,
      byColumns: written.filter((w) => w !== undefined),
      byReport: blocks.flatMap((b, id) => (b === undefined ? [] : [b + '\u0000' + oneRow((table) => table.addFlow(flows[id] as FlowReport), lang)])),
      streamed: Buffer.concat(chunks).toString('utf8'),
      reference: blocks.filter((b) => b !== undefined).join('') + summaryText(shown, report, lang),
    };
  };
  return { byReport, bySlot, results };
}

/** A hand-built segment: addresses given as text (no IPv4 number, as Analyzer tests build them), or also as IPv4 numbers (as the decoder gives them). */
function handBuilt(step: Step, no: number, client: [string, number], server: [string, number], sec: number, v4 = false): TcpSegment {
  const seg = segment(step, no);
  const [src, dst] = step[0] === 'c' ? [client, server] : [server, client];
  const number = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0) | 0;
  const numbers = v4 ? { srcV4: number(src[0]), dstV4: number(dst[0]) } : {};
  return { ...seg, ...numbers, tsSec: sec, src: src[0], dst: dst[0], srcPort: src[1], dstPort: dst[1] };
}

describe('the text report from the columns (text-columns.ts, StreamedText)', () => {
  it('is flowText and the summary row of the FlowReport for every connection of every fixture, in both languages, with and without colour', async () => {
    const cases = fixtureCaptures().flatMap((name) => (['en', 'zh'] as const).flatMap((lang) => [false, true].map((color) => ({ name, lang, color }))));
    expect(cases.length).toBeGreaterThan(40);
    let flows = 0;
    for (const { name, lang, color } of cases) {
      const { byReport, bySlot, results } = bothWays(lang, color);
      const r = await readFixture(name, byReport, bySlot);
      expect(r, name).toBeDefined();
      const got = results(r?.info, r?.damage);
      expect(got.byColumns, name).toEqual(got.byReport);
      expect(got.streamed, name).toBe(got.reference);
      flows += got.byReport.length;
    }
    expect(flows).toBeGreaterThan(80);
  });

  it('writes text addresses (IPv6, wide characters), stuck and unsure verdicts, and connections released out of order', () => {
    const v6: [string, number] = ['2001:db8::1', 40000];
    const wide: [string, number] = ['主机-ü', 443];
    const conns: Array<{ client: [string, number]; server: [string, number]; steps: Step[]; start: number }> = [
      // Open for the whole capture: released last, after the ones below.
      { client: ['10.1.1.1', 1234], server: ['10.1.1.2', 80], steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 5]], start: 0 },
      // Closed early, released by the sweep 60 s later while the first is still open.
      { client: v6, server: ['::1', 8080], steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]], start: 1 },
      // Stuck in CLOSE_WAIT for less than a second when the capture ends: unsure.
      { client: ['10.1.1.3', 5555], server: wide, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2]], start: 200 },
      // Stuck for longer: a trailing-bytes, stuck-for verdict line.
      { client: wide, server: ['10.1.1.4', 22], steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 7]], start: 150 },
    ];
    for (const lang of ['en', 'zh'] as const) {
      const { byReport, bySlot, results } = bothWays(lang, false);
      const segments = conns.flatMap((c) => c.steps.map((s, i) => ({ s, c, sec: c.start + i })));
      segments.sort((a, b) => a.sec - b.sec);
      segments.forEach(({ s, c, sec }, i) => {
        const seg = handBuilt(s, i + 1, c.client, c.server, sec);
        byReport.onSegment(seg, { sec, nsec: 0 });
        bySlot.onSegment({ ...seg }, { sec, nsec: 0 });
      });
      const end = segments.at(-1)?.sec ?? 0;
      // The capture ends half a second after the last step.
      const last = handBuilt(['c', 'A', 6, 1], segments.length + 1, conns[0]?.client ?? v6, conns[0]?.server ?? v6, end);
      for (const a of [byReport, bySlot]) a.onSegment({ ...last }, { sec: end, nsec: 500_000_000 });
      const got = results();
      expect(got.released).toEqual([2, 1, 3, 4]);
      expect(got.byColumns).toEqual(got.byReport);
      expect(got.streamed).toBe(got.reference);
      expect(got.streamed).toContain('[2001:db8::1]:40000');
      expect(got.streamed).toContain('主机-ü:443');
      expect(got.streamed).toMatch(lang === 'en' ? /stuck for 0\.\d{3} s/ : /卡住 0\.\d{3} 秒/);
      expect(got.streamed).toMatch(lang === 'en' ? /stuck for [1-9]\d*\.\d{3} s/ : /卡住 [1-9]\d*\.\d{3} 秒/);
    }
  });

  it('draws a summary of more than 1,000 rows from the columns as from the FlowReports, and the same spilled to a file', () => {
    const { byReport, bySlot, results } = bothWays('en', false);
    for (let i = 0; i < 1100; i++) {
      // Refused: a SYN answered by RST, from ever more distant ports and addresses (the columns
      // widen); endpoints as text (IPv6, IPv4 built by hand) and as IPv4 numbers (decoded).
      const client: [string, number] = [i % 3 === 0 ? 'fe80::1' : `10.0.${i % 256}.1`, 1024 + i * 50];
      const server: [string, number] = [i % 3 === 0 ? '主机' : `192.168.${(i * 7) % 256}.${i % 200}`, 80];
      const steps: Step[] = [['c', 'S', 0, 0], ['s', 'RA', 0, 1]];
      steps.forEach((step, k) => {
        const seg = handBuilt(step, i * 2 + k + 1, client, server, i, i % 3 === 2);
        for (const a of [byReport, bySlot]) a.onSegment({ ...seg }, { sec: i, nsec: 0 });
      });
    }
    const got = results();
    expect(got.byReport).toHaveLength(1100);
    expect(got.byColumns).toEqual(got.byReport);
    expect(got.streamed).toBe(got.reference);
    // Released in id order here: the table spilled to a file draws the very same lines.
    expect(got.released).toEqual(got.released.toSorted((a, b) => a - b));
    expect(got.streamed.endsWith(got.spilled)).toBe(true);
    expect(got.spilled.split('\n')).toHaveLength(2 * 1100 + 4);
  });
});

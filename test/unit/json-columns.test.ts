import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { readCaptureFile } from '../../src/capture/read.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { flowJson } from '../../src/render/json.js';
import { writeFlowJson } from '../../src/render/json-columns.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

describe('ByteLines', () => {
  it('writes strings as JSON.stringify does', () => {
    const strings = ['', 'plain', 'quotes " and \\ backslash', 'a tab\t, a NUL \u0000', '中文，客户端', 'é ß ÿ', 'a lone surrogate \ud800.', 'a pair \ud83d\ude00', '\u007f\u0080\u07ff\u0800\uffff'];
    strings.push(...strings.map((s) => s.repeat(20)));
    for (const s of strings) {
      const out = new ByteLines();
      out.jsonString(s);
      expect(out.take().toString('utf8')).toBe(JSON.stringify(s));
    }
  });

  it('writes numbers as JSON.stringify does', () => {
    const numbers = [0, -0, 1, 9, 10, 99, 100, 65535, 2 ** 31, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, 1e21, 0.1 + 0.2, 1e-7, 12.3456789, -1, -2.5, NaN, Infinity, -Infinity];
    for (const n of numbers) {
      const out = new ByteLines();
      out.number(n);
      expect(out.take().toString('utf8')).toBe(JSON.stringify(n));
    }
  });

  it('writes integers scaled by 1e-9 and 1e-6 as JSON.stringify writes the quotient', () => {
    let seed = 12345;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const ks = [0, -0, 1, 7, 999, 1000, 1001, 10 ** 6, 10 ** 9, 10 ** 9 + 1, 123_456_789_012, 10 ** 15 - 1, 10 ** 15, 2 ** 53, -5, -1234567, 0.5, NaN];
    for (let i = 0; i < 20_000; i++) ks.push(Math.floor(random() * 10 ** (1 + Math.floor(random() * 15))) * (random() < 0.1 ? -1 : 1));
    for (const k of ks) {
      for (const d of [6, 9] as const) {
        const out = new ByteLines();
        out.scaled(k, d);
        expect(out.take().toString('utf8')).toBe(JSON.stringify(k / 10 ** d));
      }
    }
  });

  it('grows past its first buffer', () => {
    const out = new ByteLines();
    const long = 'x'.repeat(300_000);
    out.jsonString(long);
    out.ascii('y');
    expect(out.take().toString('utf8')).toBe(`${JSON.stringify(long)}y`);
  });
});

describe('writeFlowJson (the ndjson line from the columns)', () => {
  it('is JSON.stringify of the FlowReport JSON form for every connection of every fixture, in both languages', async () => {
    const captures = readdirSync(FIXTURES).filter((n) => /\.pcap(ng)?$/.test(n));
    expect(captures.length).toBeGreaterThan(10);
    let flows = 0;
    for (const name of captures) {
      for (const lang of ['en', 'zh'] as const) {
        const fromReports: string[] = [];
        const fromColumns = new ByteLines();
        const byReport: Analyzer = new Analyzer(name, {
          packets: false, lang, keepFlows: false, onFlow: (f) => fromReports.push(JSON.stringify(flowJson(f, byReport.firstTime ?? { sec: 0, nsec: 0 }, lang)) + '\n'),
        });
        const bySlot: Analyzer = new Analyzer(name, {
          packets: false, lang, keepFlows: false, onFlowSlot: (c, v, text) => writeFlowJson(fromColumns, c, v, text, bySlot.firstTime),
        });
        const r = await readCaptureFile(join(FIXTURES, name), (rec) => {
          byReport.onRecord(rec);
          bySlot.onRecord(rec);
        }).catch(() => undefined);
        byReport.finish(r?.info, r?.damage);
        bySlot.finish(r?.info, r?.damage);
        expect(fromColumns.take().toString('utf8')).toBe(fromReports.join(''));
        flows += fromReports.length;
      }
    }
    expect(flows).toBeGreaterThan(20);
  });
});

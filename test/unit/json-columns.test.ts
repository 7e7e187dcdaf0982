import type { CaptureInfo } from '../../src/capture/record.js';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Lang } from '../../src/render/notes.js';
import { ByteLines, Encoded } from '../../src/render/byte-lines.js';
import { flowJson } from '../../src/render/json.js';
import { writeFlowJson } from '../../src/render/json-columns.js';
import { fixtureCaptures, readFixture } from './fixtures.js';
import type { Step } from './segments.js';
import { HANDSHAKE, segment } from './segments.js';

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

  it('copies encoded text of every length (word by word or by set) between other writes, across buffer growth', () => {
    const texts = Array.from({ length: 60 }, (_, n) => Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((n * 7 + i) % 90))).join(''));
    texts.push('é', 'a→', '中文，', '–', ' (client → server), packets ');
    const encoded = texts.map(Encoded.utf8);
    const out = new ByteLines();
    let expected = '';
    for (let round = 0; round < 10_000; round++) {
      const k = (round * 13) % texts.length;
      out.encoded(encoded[k] as Encoded);
      out.digits(round);
      expected += `${texts[k]}${round}`;
    }
    expect(out.length).toBeGreaterThan(256 * 1024); // past the first buffer (128 KiB) twice
    expect(out.take().toString('utf8')).toBe(expected);
  });

  it('writes IPv4 addresses as dotted quads', () => {
    let seed = 7;
    const addrs = [0, 0xffffffff, 0x0a000001, 0x7f000001, 0x64636209, 0x090a6364];
    for (let i = 0; i < 5000; i++) addrs.push((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0));
    for (const a of addrs) {
      const out = new ByteLines();
      out.dottedQuad(a);
      expect(out.take().toString('latin1')).toBe([a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.'));
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

interface Lines {
  fromReports: string;
  fromColumns: string;
}

/**
 * An analyzer that keeps FlowReports (the json document's flows, json.ts) and one whose connections
 * are written by the ndjson writer as they end, fed the same input; lines() gives both in id order.
 */
function bothWriters(name: string, lang: Lang): { byReport: Analyzer; bySlot: Analyzer; lines: (info?: CaptureInfo) => Lines } {
  const fromColumns = new ByteLines();
  const byReport: Analyzer = new Analyzer(name, { packets: false });
  const bySlot: Analyzer = new Analyzer(name, {
    packets: false, keepFlows: false, onFlow: (c, v) => {
      writeFlowJson(fromColumns, c, v, lang, bySlot.firstTime);
    },
  });
  const byId = (a: string, b: string): number => (JSON.parse(a) as { id: number }).id - (JSON.parse(b) as { id: number }).id;
  const lines = (info?: CaptureInfo): Lines => {
    const report = byReport.finish(info, undefined);
    const fromReports = report.flows.map((f) => JSON.stringify(flowJson(f, byReport.firstTime ?? { sec: 0, nsec: 0 }, lang)) + '\n');
    const columns = fromColumns.take().toString('utf8').split('\n').filter((l) => l !== '').sort(byId);
    return { fromReports: fromReports.join(''), fromColumns: columns.map((l) => l + '\n').join('') };
  };
  return { byReport, bySlot, lines };
}

/** Connections the fixtures lack, each run alone: lists of several packets, stuck closes short and long, no last ACK. */
const SCRIPTS: Array<{ name: string; steps: Step[]; secondsApart: number }> = [
  { name: 'several data packets reach a closed socket', secondsApart: 0.001, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['s', 'PA', 4, 2, 3], ['s', 'PA', 7, 2, 2], ['c', 'R', 2, 0]] },
  { name: 'several trailing data packets after a half-close', secondsApart: 0.25, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['s', 'PA', 4, 2, 5], ['c', 'A', 2, 9], ['s', 'FA', 9, 2], ['c', 'A', 2, 10]] },
  { name: 'half-close without the last ACK', secondsApart: 1, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 3], ['s', 'FA', 4, 2]] },
  { name: 'three-way close without the last ACK', secondsApart: 0.5, steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'FA', 1, 2]] },
  { name: 'four-way close without the last ACK', secondsApart: 0.5, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'FA', 1, 2]] },
  { name: 'close-wait for under a second', secondsApart: 0.1234567, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2], ['s', 'A', 1, 2]] },
  { name: 'fin-wait-1 for under a second', secondsApart: 0.0003, steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['s', 'FA', 1, 1]] },
  { name: 'close-wait for over ten seconds', secondsApart: 7.5, steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2], ['s', 'A', 1, 2]] },
];

describe('writeFlowJson (the ndjson line from the columns)', () => {
  it('is JSON.stringify of the FlowReport JSON form for every connection of every fixture, in both languages', async () => {
    const captures = fixtureCaptures();
    expect(captures.length).toBeGreaterThan(10);
    let flows = 0;
    for (const name of captures) {
      for (const lang of ['en', 'zh'] as const) {
        const { byReport, bySlot, lines } = bothWriters(name, lang);
        const r = await readFixture(name, byReport, bySlot);
        bySlot.finish(r?.info, r?.damage);
        const { fromColumns, fromReports } = lines(r?.info);
        expect(fromColumns).toBe(fromReports);
        flows += fromReports.split('\n').length - 1;
      }
    }
    expect(flows).toBeGreaterThan(20);
  });

  it('is the same for scripted connections, over IPv4 and IPv6 text addresses, in both languages', () => {
    for (const { name, steps, secondsApart } of SCRIPTS) {
      for (const ipv6 of [false, true]) {
        for (const lang of ['en', 'zh'] as const) {
          const { byReport, bySlot, lines } = bothWriters(name, lang);
          steps.forEach((step, i) => {
            const nanos = Math.round((i + 1) * secondsApart * 1e9);
            const time = { sec: 1_700_000_000 + Math.floor(nanos / 1e9), nsec: nanos % 1e9 };
            const seg = { ...segment(step, i + 1), tsSec: time.sec, tsNsec: time.nsec };
            if (ipv6) Object.assign(seg, { ipVersion: 6, src: seg.src.replace('10.0.0.', '2001:db8::'), dst: seg.dst.replace('10.0.0.', '2001:db8::') });
            byReport.onSegment(seg, time);
            bySlot.onSegment(seg, time);
          });
          bySlot.finish(undefined, undefined);
          const { fromColumns, fromReports } = lines();
          expect(fromColumns, name).toBe(fromReports);
          expect(fromReports.split('\n').length, name).toBe(2);
        }
      }
    }
  });
});

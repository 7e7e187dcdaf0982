import { describe, expect, it } from 'vitest';
import { WRITE_BYTES } from '../../src/render/byte-lines.js';
import { writeJsonDocument } from '../../src/render/json-columns.js';

/**
 * The json document's writer (json.ts, writeJsonDocument) lays the document out as
 * `JSON.stringify(document, null, 2)` would, from each flow's compact line, handed on in pieces of
 * about WRITE_BYTES: one connection's rows never become one string or one buffer (262,144 rows made
 * a 1.3 GB peak, and a few times as many exceed V8's longest string: docs/testing.md, "Hostile input").
 */

const packet = (no: number) => ({ no, time: no / 1000, dir: no % 2 ? 'c2s' : 's2c', flags: 'ACK', seq: no, ack: 1, len: 0, win: 512, info: `x ${no}`, client: 'ESTABLISHED', server: 'ESTABLISHED', note: '' });
const flow = (id: number, packets?: number) => ({
  id, client: { ip: '10.0.0.1', port: 1000 + id }, server: { ip: '10.0.0.2', port: 80 }, teardown: { class: 'open', evidence: [] as number[], causes: [] },
  finalState: { client: 'ESTABLISHED', server: 'ESTABLISHED' },
  ...(packets !== undefined ? { packets: Array.from({ length: packets }, (_, i) => packet(i + 1)) } : {}),
});

function written(flows: object[]): { text: string; longest: number } {
  const pieces: string[] = [];
  const capture = { file: 'x', packets: 3 };
  const rest = { summary: { flows: flows.length, byClass: {}, byCause: {} }, errors: [] };
  const to = {
    write: (p: string): void => void pieces.push(p),
    writeBytes: (b: Uint8Array): boolean => pieces.push(Buffer.from(b).toString()) > 0,
  };
  writeJsonDocument(to, capture, flows.map((f) => Buffer.from(JSON.stringify(f))), rest);
  return { text: pieces.join(''), longest: Math.max(0, ...pieces.slice(1, -1).map((p) => p.length)) };
}

describe('the json document writer', () => {
  it('writes what JSON.stringify(document, null, 2) writes: flows with packets, with none, without the key; no flows', () => {
    for (const flows of [[], [flow(1)], [flow(1, 0), flow(2, 3), flow(3)], [flow(1, 1)]]) {
      const doc = { capture: { file: 'x', packets: 3 }, flows, summary: { flows: flows.length, byClass: {}, byCause: {} }, errors: [] };
      expect(written(flows).text).toBe(JSON.stringify(doc, null, 2) + '\n');
    }
  });

  it('writes many flows, and a flow of 100,000 packets, in pieces of at most WRITE_BYTES and a packet', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => flow(i + 1));
    expect(written(many).longest).toBeLessThan(WRITE_BYTES + 1000);
    const long = written([flow(1, 100_000)]);
    expect(long.longest).toBeLessThan(WRITE_BYTES + 1000);
    expect((JSON.parse(long.text) as { flows: Array<{ packets: unknown[] }> }).flows[0]?.packets).toHaveLength(100_000);
  });
});

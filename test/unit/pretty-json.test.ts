import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLines } from '../../src/render/byte-lines.js';
import { writePrettyJson } from '../../src/render/pretty-json.js';

/** What the json document did before: parse the compact line, stringify it with two spaces, indent every line after the first. */
const oracle = (compact: string, indent: number): string => JSON.stringify(JSON.parse(compact), null, 2).replaceAll('\n', '\n' + ' '.repeat(indent));

function pretty(compact: string, indent: number, flushAt = Infinity): string {
  const out = new ByteLines();
  const pieces: string[] = [];
  const flush = (): void => {
    pieces.push(out.text());
    out.setLength(0);
  };
  writePrettyJson(out, Buffer.from(compact + '\n', 'utf8'), indent, flush, flushAt);
  return pieces.join('') + out.text();
}

describe('writePrettyJson: compact JSON laid out as JSON.stringify(value, null, 2), without parsing it', () => {
  it('a flow-like line: nested objects, empty and full arrays, escapes, braces and commas inside strings, numbers, literals', () => {
    const value = {
      id: 7, client: { ip: '::1', port: 1 }, history: 'ShADadFf', teardown: { class: 'abort', detail: null, evidence: [], causes: [{ id: 'x', evidence: [3, 4], seconds: 0.25 }] },
      explanation: 'a "quoted" {brace}, [bracket]: colon \\ backslash \n newline \u0001 control 中文', empty: {}, flag: true, no: false, big: 1e21, small: -2.5e-7,
      packets: [{ no: 1, info: '1000 → 80 [SYN] Seq=0', note: '' }],
    };
    const compact = JSON.stringify(value);
    for (const indent of [0, 4, 300]) expect(pretty(compact, indent)).toBe(oracle(compact, indent));
  });

  it('any JSON value, at any indent, flushed or not, gives what parsing and stringifying gives', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 64 }), (value, indent, flushAt) => {
        const compact = JSON.stringify(value);
        expect(pretty(compact, indent)).toBe(oracle(compact, indent));
        expect(pretty(compact, indent, flushAt)).toBe(oracle(compact, indent));
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

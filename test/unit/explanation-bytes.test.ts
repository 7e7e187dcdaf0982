import { describe, expect, it } from 'vitest';
import type { ExplainFacts } from '../../src/analysis/explain.js';
import { VERDICT_KEYS, explanationText } from '../../src/analysis/explain.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { writeExplanation } from '../../src/render/explanation-bytes.js';

/** Facts the templates must word as the catalogue does: packets known or not, lists of 0 to 3, long numbers. */
const FACTS: Array<Omit<ExplainFacts, 'closer' | 'other' | 'lastAckSeen'>> = [
  { port: 80, fin: 4, finAck: 5, peerFin: 6, peerFinAck: 7, rst: 8, data: [9], bytes: 3, stuckFor: 0.636 },
  { port: 0, data: [], bytes: 0, stuckFor: 0 },
  { port: 65535, fin: 1, rst: 2, data: [10, 11, 12], bytes: 1_234_567, stuckFor: 0.0005 },
  { port: 443, fin: 2 ** 31 + 5, finAck: 2 ** 32, peerFin: 2 ** 53 - 1, data: [2 ** 31, 7], bytes: 2 ** 40, stuckFor: 9.9995 },
  { port: 8080, peerFin: 3, peerFinAck: 900, data: [1, 2], bytes: 42, stuckFor: 12.34 },
  { port: 22, fin: 100, finAck: 101, data: [5], bytes: 1, stuckFor: 1234.56789 },
];

describe('writeExplanation (explanation templates compiled from the catalogue)', () => {
  it('writes the catalogue text, and JSON.stringify of it, for every verdict, side, language and fact', () => {
    let texts = 0;
    for (const [keyNo, key] of VERDICT_KEYS.entries()) {
      for (const lang of ['en', 'zh'] as const) {
        for (const closer of ['client', 'server'] as const) {
          for (const lastAckSeen of [false, true]) {
            for (const unsure of [false, true]) {
              for (const facts of FACTS) {
                const f: ExplainFacts = { ...facts, closer, other: closer === 'client' ? 'server' : 'client', lastAckSeen };
                const text = explanationText(key, f, lang, unsure);
                const out = new ByteLines();
                writeExplanation(out, keyNo, f, lang, unsure);
                expect(out.take().toString('utf8'), `${key} ${lang} ${closer} ${lastAckSeen} ${unsure}`).toBe(JSON.stringify(text));
                writeExplanation(out, keyNo, f, lang, unsure, 'text');
                expect(out.take().toString('utf8'), `text: ${key} ${lang} ${closer} ${lastAckSeen} ${unsure}`).toBe(text);
                texts++;
              }
            }
          }
        }
      }
    }
    expect(texts).toBe(VERDICT_KEYS.length * 2 * 2 * 2 * 2 * FACTS.length);
  });
});

import { describe, expect, it } from 'vitest';
import { VERDICT_KEYS, verdictKeyNo, verdictNamesNo } from '../../src/analysis/verdict-keys.js';
import type { TeardownClass, TeardownDetail, Who } from '../../src/analysis/verdict-keys.js';

/** The closed set of verdicts (verdict-keys.ts): each key's number, and the number renderers cache a verdict's names by. */
describe('verdict keys', () => {
  it('verdictKeyNo gives each allowed class/detail pair its index in VERDICT_KEYS', () => {
    VERDICT_KEYS.forEach((key, no) => {
      const [cls, detail] = key.split('/') as [TeardownClass, string];
      expect(verdictKeyNo(cls, detail === '-' ? null : (detail as TeardownDetail))).toBe(no);
    });
  });

  it('a pair the contract does not allow is an error that names it', () => {
    expect(() => verdictKeyNo('graceful', 'handshake')).toThrow('no verdict key graceful/handshake');
    expect(() => verdictKeyNo('abort', null)).toThrow('no verdict key abort/-');
    expect(() => verdictKeyNo('nonsense' as TeardownClass, null)).toThrow('no verdict key nonsense/-');
  });

  it('verdictNamesNo: one number for each key, closer and resetter, no two alike', () => {
    const who: Who[] = ['client', 'server', 'both', null];
    const seen = new Map<number, string>();
    VERDICT_KEYS.forEach((key, keyNo) => {
      for (const closer of who) {
        for (const resetBy of who) {
          const no = verdictNamesNo({ keyNo, closer, resetBy });
          expect(seen.get(no), `${key} ${closer} ${resetBy}`).toBeUndefined();
          seen.set(no, `${key} ${closer} ${resetBy}`);
          expect(no).toBe(keyNo * 16 + who.indexOf(closer) * 4 + who.indexOf(resetBy));
        }
      }
    });
  });
});

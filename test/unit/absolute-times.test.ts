import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteLines } from '../../src/render/byte-lines.js';
import { AbsoluteTimes } from '../../src/render/json-columns.js';
import { epochSeconds, formatIso } from '../../src/render/time.js';

/** What the four fields must read: formatIso's and epochSeconds' text (render/time.ts), whatever the writer's short cuts. */
function expected(startSec: number, startNsec: number, endSec: number, endNsec: number, digits: 6 | 9): string {
  const s = { sec: startSec, nsec: startNsec };
  const e = { sec: endSec, nsec: endNsec };
  return `,"startIso":"${formatIso(s, digits)}","endIso":"${formatIso(e, digits)}","startEpoch":${epochSeconds(s, digits)},"endEpoch":${epochSeconds(e, digits)}}\n`;
}

function written(startSec: number, startNsec: number, endSec: number, endNsec: number, digits: 6 | 9): string {
  const out = new ByteLines();
  new AbsoluteTimes().write(out, { startSec, startNsec, endSec, endNsec }, digits);
  return out.text();
}

describe('absolute times in ndjson (json-columns.ts AbsoluteTimes)', () => {
  it('equal formatIso and epochSeconds at day, year and range edges, before the epoch, in µs and ns', () => {
    const secs = [0, 59, 60, 3599, 3600, 86399, 86400, 1700000000, 1700006399, 951782400, 253402300799, 253402300800, -1, -86400, -62167219200, -62167219201];
    for (const digits of [6, 9] as const) {
      for (const a of secs) {
        for (const nsec of [0, 1, 999, 1000, 123456789, 999999999]) {
          expect(written(a, nsec, a + 1, 999999999 - nsec, digits)).toBe(expected(a, nsec, a + 1, 999999999 - nsec, digits));
        }
      }
    }
  });

  it('equal them for any times (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: -70000000000, max: 260000000000 }), fc.integer({ min: 0, max: 999999999 }),
      fc.integer({ min: 0, max: 400000 }), fc.integer({ min: 0, max: 999999999 }), fc.constantFrom(6 as const, 9 as const),
      (sec, nsec, span, endNsec, digits) => written(sec, nsec, sec + span, endNsec, digits) === expected(sec, nsec, sec + span, endNsec, digits),
    ), { numRuns: 2000 });
  });
});

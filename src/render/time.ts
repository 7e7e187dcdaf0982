import type { Instant } from '../flow/connection.js';

/** How the Time column counts (docs/contract.md, "Common options", `--time`). */
export type TimeMode = 'relative' | 'absolute' | 'delta';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Nanoseconds from `a` to `b`, exact for spans up to about 104 days. */
export function nanosBetween(a: Instant, b: Instant): number {
  return (b.sec - a.sec) * 1e9 + (b.nsec - a.nsec);
}

/** A span in seconds with `digits` decimals (6 for microsecond captures, 9 for nanosecond), no float rounding. */
export function formatSpan(nanos: number, digits: 6 | 9): string {
  const neg = nanos < 0;
  const abs = Math.abs(nanos);
  const sec = Math.floor(abs / 1e9);
  const frac = abs - sec * 1e9;
  const fracText = digits === 9 ? pad(frac, 9) : pad(Math.floor(frac / 1000), 6);
  return `${neg ? '-' : ''}${sec}.${fracText}`;
}

/** The span of four-digit years, 0000-01-01 to 9999-12-31 UTC, in seconds since the epoch. */
const FIRST_DATED = -62167219200;
const LAST_DATED = 253402300799;

/**
 * Absolute capture time in UTC: `2026-11-21 22:38:49.123456`. A time outside the years 0000 to 9999
 * (a pcapng `if_tsoffset` or timestamp far out: Date then gave NaN-NaN-NaN) is shown as the seconds
 * since the epoch the capture gives, `18446744073709.551615`, not clamped to a date that looks right.
 */
export function formatAbsolute(t: Instant, digits: 6 | 9): string {
  return dated(t, digits, ' ', '');
}

/**
 * The same time in ISO 8601 (RFC 3339) form, as the ndjson and csv flows carry it:
 * `2026-11-21T22:38:49.123456Z`; outside the years 0000 to 9999, the epoch seconds as above.
 */
export function formatIso(t: Instant, digits: 6 | 9): string {
  return dated(t, digits, 'T', 'Z');
}

function dated(t: Instant, digits: 6 | 9, between: string, zone: string): string {
  if (!(t.sec >= FIRST_DATED && t.sec <= LAST_DATED)) return epochSeconds(t, digits);
  const frac = digits === 9 ? pad(t.nsec, 9) : pad(Math.floor(t.nsec / 1000), 6);
  const d = new Date(t.sec * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}${between}${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}${zone}`;
}

/**
 * `t` as seconds since the epoch, `digits` decimals, exact (a double holds only about 16 digits);
 * before the epoch, `-` and the span back to it. Also a JSON number as written.
 */
export function epochSeconds(t: Instant, digits: 6 | 9): string {
  if (t.sec >= 0) return `${t.sec}.${digits === 9 ? pad(t.nsec, 9) : pad(Math.floor(t.nsec / 1000), 6)}`;
  const back = t.nsec > 0 ? { sec: -t.sec - 1, nsec: 1e9 - t.nsec } : { sec: -t.sec, nsec: 0 };
  return `-${epochSeconds(back, digits)}`;
}

/** Formats row times in one of the three modes; `delta` counts from the previous row shown. */
export class TimeFormatter {
  private prev: Instant | undefined;
  constructor(private readonly mode: TimeMode, private readonly origin: Instant, private readonly digits: 6 | 9) {}

  format(t: Instant): string {
    if (this.mode === 'absolute') return formatAbsolute(t, this.digits);
    if (this.mode === 'delta') {
      const s = formatSpan(this.prev ? nanosBetween(this.prev, t) : 0, this.digits);
      this.prev = t;
      return s;
    }
    return formatSpan(nanosBetween(this.origin, t), this.digits);
  }
}

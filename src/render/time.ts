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

/** Absolute capture time in UTC: `2026-11-21 22:38:49.123456`. */
export function formatAbsolute(t: Instant, digits: 6 | 9): string {
  const d = new Date(t.sec * 1000);
  const frac = digits === 9 ? pad(t.nsec, 9) : pad(Math.floor(t.nsec / 1000), 6);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}`;
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

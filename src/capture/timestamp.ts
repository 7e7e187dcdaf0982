/**
 * pcapng timestamps (pcapng §4.2, if_tsresol; §4.3, EPB timestamp): a 64-bit count of ticks since
 * the epoch, split into two 32-bit halves, in units of 10^-n or 2^-n seconds, plus if_tsoffset
 * seconds. Converted exactly to whole seconds and nanoseconds (finer resolutions are truncated).
 */

/** An interface's tick length: 10^-digits s, or 2^-bits s. Default 10^-6 (pcapng §4.2). */
export type Resolution = { kind: 'dec'; digits: number } | { kind: 'bin'; bits: number };

export const MICROSECONDS: Resolution = { kind: 'dec', digits: 6 };

/** Decodes the if_tsresol byte: high bit clear, a power of 10; set, a power of 2. */
export function resolutionOf(tsresol: number): Resolution {
  return (tsresol & 0x80) === 0 ? { kind: 'dec', digits: tsresol } : { kind: 'bin', bits: tsresol & 0x7f };
}

/** Where converted times are written, to spare an allocation per packet. */
export interface TimeOut {
  tsSec: number;
  tsNsec: number;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * Sets out.tsSec/out.tsNsec from the ticks hi·2^32 + lo. For powers of ten up to 10^-9 this is a
 * long division in base 2^16, whose partial values stay below 2^46 and so are exact doubles; other
 * resolutions go through BigInt.
 */
export function ticksToTime(hi: number, lo: number, res: Resolution, offsetSec: number, out: TimeOut): void {
  if (res.kind === 'dec' && res.digits <= 9) {
    const d = POW10[res.digits] ?? 1;
    // Four base-2^16 digits, unrolled: no array per packet.
    let cur = hi >>> 16;
    let q = Math.floor(cur / d);
    let r = cur - q * d;
    cur = r * 65536 + (hi & 0xffff);
    let qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    cur = r * 65536 + (lo >>> 16);
    qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    cur = r * 65536 + (lo & 0xffff);
    qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
    out.tsSec = q + offsetSec;
    out.tsNsec = r * (POW10[9 - res.digits] ?? 1);
    return;
  }
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  if (res.kind === 'dec') {
    const d = 10n ** BigInt(res.digits);
    out.tsSec = Number(ticks / d) + offsetSec;
    out.tsNsec = Number((ticks % d) / 10n ** BigInt(res.digits - 9));
  } else {
    const bits = BigInt(res.bits);
    out.tsSec = Number(ticks >> bits) + offsetSec;
    out.tsNsec = Number(((ticks & ((1n << bits) - 1n)) * 1_000_000_000n) >> bits);
  }
}

/**
 * Big-endian reads for the text of addresses and for TCP options, both read on demand from a
 * record's bytes. Callers check bounds first; reading past the end yields 0 rather than throwing,
 * so a missed check gives a wrong field, never a crash.
 */
export function u8(d: Uint8Array, i: number): number {
  return d[i] ?? 0;
}

export function u16(d: Uint8Array, i: number): number {
  return ((d[i] ?? 0) << 8) | (d[i + 1] ?? 0);
}

export function u32(d: Uint8Array, i: number): number {
  return (((d[i] ?? 0) << 24) | ((d[i + 1] ?? 0) << 16) | ((d[i + 2] ?? 0) << 8) | (d[i + 3] ?? 0)) >>> 0;
}

/**
 * Big-endian reads for the decoders. Callers check bounds first; reading past the end yields 0
 * rather than throwing, so a missed check gives a wrong field, never a crash.
 */
import type { DecodeResult, SkipReason } from './segment.js';

export function u8(d: Uint8Array, i: number): number {
  return d[i] ?? 0;
}

export function u16(d: Uint8Array, i: number): number {
  return ((d[i] ?? 0) << 8) | (d[i + 1] ?? 0);
}

export function u32(d: Uint8Array, i: number): number {
  return (((d[i] ?? 0) << 24) | ((d[i + 1] ?? 0) << 16) | ((d[i + 2] ?? 0) << 8) | (d[i + 3] ?? 0)) >>> 0;
}

export type Skipped = Extract<DecodeResult, { kind: 'skipped' }>;

export function skip(reason: SkipReason, detail?: string): Skipped {
  return detail === undefined ? { kind: 'skipped', reason } : { kind: 'skipped', reason, detail };
}

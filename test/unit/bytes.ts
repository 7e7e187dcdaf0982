/** Byte helpers the unit tests share: annotated hex in, concatenation. */

/** Hex with `#` comments to the end of a line; whitespace ignored. */
export function hex(s: string): Uint8Array {
  const digits = s.split('\n').map((l) => l.replace(/#.*/, '')).join('').replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Concatenation, shared with the fuzzer's mutator. */
export { concat } from '../../scripts/fuzz/mutate.mjs';

/** Byte helpers the unit tests share: annotated hex in, concatenation. */

/** Hex with `#` comments to the end of a line; whitespace ignored. */
export function hex(s: string): Uint8Array {
  const digits = s.split('\n').map((l) => l.replace(/#.*/, '')).join('').replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

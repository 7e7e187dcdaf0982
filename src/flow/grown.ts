/** A typed array: what the store's columns and the other growing per-id tables are. */
export type TypedColumn = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * A column `length` long, what `a` holds copied in, the new cells set to `fill` (else 0). The old
 * column's memory is handed over at once (structuredClone with transfer: Node 20's stand-in for
 * ArrayBuffer.prototype.transfer) to an object that is garbage from birth, so the next minor
 * collection frees it; left in the old column, it waited for a full collection, and the peak
 * memory depended on when one ran. `a` is unusable afterwards.
 */
export function grown<T extends TypedColumn>(a: T, length: number, fill = 0): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] }); // a column is never shared
  return b;
}

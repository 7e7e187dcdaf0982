// @ts-check
/**
 * The mutations (docs/testing.md, "Hostile input"): bit and byte flips; length fields set to 0, 1, 65536, 0x7fffffff,
 * 0xffffffff (and neighbours of the limits the readers enforce); truncation at structure
 * boundaries; pcapng block types swapped; splices of two captures; whole units duplicated or
 * dropped; link types and pcapng timestamp resolutions changed. Each input is 1 to 5 stacked
 * mutations of one corpus entry, then cut into chunks of random sizes.
 */
import { inputRng, Rng } from './rng.mjs';
import { describe } from './structure.mjs';

/** @typedef {import('./structure.mjs').Field} Field @typedef {import('./structure.mjs').Structure} Structure */
/** @typedef {{ name: string, bytes: Uint8Array, structure: Structure }} Seed */
/** @typedef {{ index: number, seed: string, ops: string[], bytes: Uint8Array, chunks: number[] }} FuzzInput */

/** The values every length field is set to (docs/testing.md, "Hostile input"). */
export const LENGTH_VALUES = [0, 1, 65536, 0x7fffffff, 0xffffffff];
/** More values near the limits the readers check (pcapng framing, 256 KiB, 16 MiB, the sign bit). */
const NEAR_LIMITS = [2, 3, 4, 7, 8, 11, 12, 13, 16, 20, 28, 32, 40, 0xff, 0x8000, 0xffff, 262144, 262145,
  16 * 1024 * 1024, 16 * 1024 * 1024 + 4, 0x80000000, 0xfffffffc];
const LINK_TYPES = [0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 147, 178, 192, 228, 229, 242, 276, 0xffff];
const BLOCK_TYPES = [0x0a0d0d0a, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xbad, 0x40000bad, 0x80000001, 0];
const TSRESOL = [0, 1, 3, 6, 9, 10, 12, 19, 63, 127, 0x80, 0x80 | 20, 0x80 | 31, 0x80 | 32, 0x80 | 63, 0xff];

/** @param {Uint8Array} bytes @param {string} name @returns {Seed} */
export function seedOf(name, bytes) {
  return { name, bytes, structure: describe(bytes) };
}

/**
 * Input `index` of the run seeded with `seed`: the same bytes and chunks every time.
 * @param {readonly Seed[]} corpus @param {number} seed @param {number} index @returns {FuzzInput}
 */
export function generateInput(corpus, seed, index) {
  const rng = inputRng(seed, index);
  // pcapng has more structure than the few pcapng seeds would get a share of: a third of the inputs.
  const pcapng = corpus.filter((c) => c.structure.format === 'pcapng');
  const base = pcapng.length > 0 && rng.chance(0.33) ? rng.pick(pcapng) : rng.pick(corpus);
  /** @type {string[]} */
  const ops = [];
  let bytes = base.bytes;
  let structure = base.structure;
  const n = rng.chance(0.02) ? 0 : 1 + (rng.chance(0.5) ? 0 : rng.int(4));
  for (let i = 0; i < n; i++) {
    if (i > 0) structure = describe(bytes);
    const out = mutateOnce(rng, bytes, structure, corpus);
    bytes = out.bytes;
    ops.push(out.op);
  }
  return { index, seed: base.name, ops, bytes, chunks: chunkPlan(rng, bytes.length) };
}

/** Chunk sizes: whole, byte by byte, small, or large pieces (the carry-over paths of the reader). @param {Rng} rng @param {number} length */
export function chunkPlan(rng, length) {
  const mode = rng.int(10);
  if (mode < 3 || length === 0) return [length];
  const max = mode === 3 ? 1 : mode < 7 ? 64 : 2048;
  /** @type {number[]} */
  const sizes = [];
  for (let left = length; left > 0;) {
    const size = Math.min(left, rng.range(1, max));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Equal chunks of `size` bytes (the last one shorter), for replaying a saved input. @param {number} length @param {number} size */
export function chunksOf(length, size) {
  /** @type {number[]} */
  const sizes = [];
  for (let left = length; left > 0; left -= size) sizes.push(Math.min(size, left));
  return sizes.length > 0 ? sizes : [0];
}

/** @param {Rng} rng @param {Uint8Array} input @param {Structure} s @param {readonly Seed[]} corpus @returns {{ bytes: Uint8Array, op: string }} */
function mutateOnce(rng, input, s, corpus) {
  const roll = rng.int(100);
  if (roll < 12) return bitFlips(rng, input);
  if (roll < 22) return byteFlips(rng, input);
  if (roll < 47) return lengthField(rng, input, s);
  if (roll < 59) return truncate(rng, input, s);
  if (roll < 66 && s.format === 'pcapng') return blockType(rng, input, s);
  if (roll < 74) return splice(rng, input, s, corpus);
  if (roll < 84) return otherField(rng, input, s);
  if (roll < 92) return reshapeUnits(rng, input, s);
  return insertBytes(rng, input, s);
}

/** @param {Rng} rng @param {Uint8Array} input */
function bitFlips(rng, input) {
  const b = input.slice();
  const n = 1 + rng.int(8);
  const at = [];
  for (let i = 0; i < n && b.length > 0; i++) {
    const pos = rng.int(b.length);
    const bit = rng.int(8);
    b[pos] = (b[pos] ?? 0) ^ (1 << bit);
    at.push(`${pos}.${bit}`);
  }
  return { bytes: b, op: `bit-flip ${at.join(',')}` };
}

/** @param {Rng} rng @param {Uint8Array} input */
function byteFlips(rng, input) {
  const b = input.slice();
  const n = 1 + rng.int(4);
  const at = [];
  for (let i = 0; i < n && b.length > 0; i++) {
    const pos = rng.int(b.length);
    b[pos] = rng.chance(0.5) ? rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01, 0x40]) : rng.int(256);
    at.push(`${pos}=${b[pos]}`);
  }
  return { bytes: b, op: `byte ${at.join(',')}` };
}

/** @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function lengthField(rng, input, s) {
  const lengths = s.fields.filter((f) => f.kind === 'length' || f.kind === 'block-length' || f.kind === 'option-length'
    || f.kind === 'ip-length' || f.kind === 'header-length');
  if (lengths.length === 0) return byteFlips(rng, input);
  const f = rng.pick(lengths);
  const old = readField(input, f);
  const r = rng.int(10);
  let value;
  if (f.nibble !== undefined) value = rng.chance(0.6) ? rng.pick([0, 1, 4, 5, 15]) : rng.int(16);
  else if (r < 6) value = rng.pick(LENGTH_VALUES);
  else if (r < 8) value = rng.pick(NEAR_LIMITS);
  else value = old + rng.pick([-8, -4, -2, -1, 1, 2, 4, 8, input.length - f.at, 2 * input.length]);
  const b = input.slice();
  writeField(b, f, value);
  return { bytes: b, op: `${f.kind}@${f.at} ${old}→${readField(b, f)}` };
}

/** @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function truncate(rng, input, s) {
  let at = rng.pick(s.boundaries);
  if (rng.chance(0.25)) at += rng.range(-3, 3);
  at = Math.max(0, Math.min(input.length, at));
  return { bytes: input.slice(0, at), op: `truncate ${at}/${input.length}` };
}

/** pcapng: a block's type set to another (known or unknown), or two blocks' types swapped. @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function blockType(rng, input, s) {
  const types = s.fields.filter((f) => f.kind === 'block-type');
  if (types.length === 0) return bitFlips(rng, input);
  const b = input.slice();
  const f = rng.pick(types);
  if (types.length > 1 && rng.chance(0.5)) {
    const g = rng.pick(types);
    const x = readField(input, f);
    writeField(b, f, readField(input, g));
    writeField(b, g, x);
    return { bytes: b, op: `swap block types @${f.at} @${g.at}` };
  }
  const value = rng.pick(BLOCK_TYPES);
  writeField(b, f, value);
  return { bytes: b, op: `block-type@${f.at} → ${value.toString(16)}` };
}

/** Head of this input up to a boundary, then the tail of another capture from one of its boundaries. @param {Rng} rng @param {Uint8Array} input @param {Structure} s @param {readonly Seed[]} corpus */
function splice(rng, input, s, corpus) {
  const other = rng.pick(corpus);
  const cut = rng.chance(0.8) ? rng.pick(s.boundaries) : rng.int(input.length + 1);
  const from = rng.chance(0.8) ? rng.pick(other.structure.boundaries) : rng.int(other.bytes.length + 1);
  const head = input.subarray(0, cut);
  const tail = other.bytes.subarray(from);
  const b = new Uint8Array(head.length + tail.length);
  b.set(head, 0);
  b.set(tail, head.length);
  return { bytes: b, op: `splice ${cut} + ${other.name}[${from}:]` };
}

/** Link types, timestamps, if_tsresol, flags and other fields set to odd values. @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function otherField(rng, input, s) {
  const fields = s.fields.filter((f) => f.kind !== 'length' && f.kind !== 'block-length');
  if (fields.length === 0) return byteFlips(rng, input);
  const f = rng.pick(fields);
  const b = input.slice();
  let value;
  switch (f.kind) {
    case 'linktype': value = rng.pick(LINK_TYPES); break;
    case 'tsresol': value = rng.pick(TSRESOL); break;
    case 'timestamp': value = rng.pick([0, 1, 999999, 1000000, 999999999, 1000000000, 0x7fffffff, 0xffffffff, rng.u32()]); break;
    default: value = rng.chance(0.5) ? rng.pick([0, 1, 0xff, 0xffff, 0xffffffff]) : rng.u32();
  }
  writeField(b, f, value);
  return { bytes: b, op: `${f.kind}@${f.at} → ${readField(b, f)}` };
}

/** A whole record or block duplicated, dropped or moved. @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function reshapeUnits(rng, input, s) {
  if (s.units.length === 0) return truncate(rng, input, s);
  const u = rng.pick(s.units);
  const unit = input.subarray(u.at, u.at + u.length);
  const before = input.subarray(0, u.at);
  const after = input.subarray(u.at + u.length);
  const action = rng.int(3);
  if (action === 0) return { bytes: concat(before, unit, unit, after), op: `duplicate unit @${u.at}` };
  if (action === 1) return { bytes: concat(before, after), op: `drop unit @${u.at}` };
  const v = rng.pick(s.units);
  return { bytes: concat(input.subarray(0, v.at), unit, input.subarray(v.at)), op: `copy unit @${u.at} to @${v.at}` };
}

/** @param {Rng} rng @param {Uint8Array} input @param {Structure} s */
function insertBytes(rng, input, s) {
  const at = rng.pick(s.boundaries);
  const extra = new Uint8Array(rng.range(1, 16));
  for (let i = 0; i < extra.length; i++) extra[i] = rng.chance(0.5) ? 0 : rng.int(256);
  return { bytes: concat(input.subarray(0, at), extra, input.subarray(at)), op: `insert ${extra.length} bytes @${at}` };
}

/** @param {...Uint8Array} parts */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** @param {Uint8Array} b @param {Field} f */
export function readField(b, f) {
  if (f.at + f.size > b.length) return 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (f.size === 1) {
    const x = dv.getUint8(f.at);
    return f.nibble === 'hi' ? x >> 4 : f.nibble === 'lo' ? x & 15 : x;
  }
  return f.size === 2 ? dv.getUint16(f.at, f.le) : dv.getUint32(f.at, f.le);
}

/** Writes the low bits of `value` that fit the field. @param {Uint8Array} b @param {Field} f @param {number} value */
export function writeField(b, f, value) {
  if (f.at + f.size > b.length) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const v = value >>> 0;
  if (f.size === 1) {
    const x = dv.getUint8(f.at);
    if (f.nibble === 'hi') dv.setUint8(f.at, (x & 0x0f) | ((v & 15) << 4));
    else if (f.nibble === 'lo') dv.setUint8(f.at, (x & 0xf0) | (v & 15));
    else dv.setUint8(f.at, v & 0xff);
  } else if (f.size === 2) {
    dv.setUint16(f.at, v & 0xffff, f.le);
  } else {
    dv.setUint32(f.at, v, f.le);
  }
}

export { Rng };

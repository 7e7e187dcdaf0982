/**
 * Output text built as UTF-8 bytes in one buffer: names, numbers and strings are appended where
 * they go, so a report of many lines makes no string per line (and no join, no second encoding
 * when it is written). `take` hands over what is written so far as its own buffer.
 */
const START_SIZE = 128 * 1024;
/**
 * How much output a writer gathers before it takes the buffer and writes it: most of the buffer's
 * first size, so that it never doubles (measured on the text report: at 64 KiB, a third more
 * mark-compacts, since each take allocates a new buffer).
 */
export const WRITE_BYTES = START_SIZE - 8 * 1024;
const SAFE_INT = 2 ** 53;
const LONG_TEXT = 48;

/** Characters JSON.stringify escapes (controls, quote, backslash, surrogates: lone ones are escaped). */
const needsEscape = (ch: number): boolean => ch < 0x20 || ch === 0x22 || ch === 0x5c || (ch >= 0xd800 && ch <= 0xdfff);

/** Decimal digits of a non-negative integer below 2^53 (comparisons: no division). */
export function digitCount(x: number): number {
  let len = 1;
  for (let bound = 10; x >= bound; bound *= 10) len++;
  return len;
}

/** Runs `range` copies byte by byte rather than by `set` (measured: a loop wins up to about 50 bytes). */
const SHORT_RANGE = 48;

/** Encoded parts at most this many 32-bit words long are copied word by word, longer ones by `set`. */
const SHORT_WORDS = 6;

/**
 * Constant text encoded once, for ByteLines.encoded: its bytes and, for a short one, the same bytes
 * as little-endian 32-bit words (zero-padded). A call of `TypedArray.set` costs about 30 ns
 * whatever the length, four DataView word stores about 10 ns (measured: words win up to about 24
 * bytes), and most constant parts of an ndjson line or a text block are keys of 6 to 20 bytes.
 */
export class Encoded {
  readonly length: number;
  /** Empty for a long one (copied by `set`). */
  readonly words: Int32Array;
  /**
   * words.length, kept as a small integer: a typed array's length is read as a double in optimized
   * code, and the conversions showed up in `encoded` (perf annotate).
   */
  readonly wordCount: number;

  constructor(readonly bytes: Uint8Array) {
    this.length = bytes.length;
    const count = Math.ceil(bytes.length / 4);
    this.words = new Int32Array(count <= SHORT_WORDS ? count : 0);
    this.wordCount = this.words.length;
    const padded = new Uint8Array(this.words.length * 4);
    if (this.words.length > 0) padded.set(bytes);
    const dv = new DataView(padded.buffer);
    for (let i = 0; i < this.words.length; i++) this.words[i] = dv.getInt32(i * 4, true);
  }

  static utf8(text: string): Encoded {
    return new Encoded(Buffer.from(text, 'utf8'));
  }

  static latin1(text: string): Encoded {
    return new Encoded(Buffer.from(text, 'latin1'));
  }
}

/** Bytes of the longest integer `putDigits` writes (2^53 - 1). */
export const MAX_DIGITS = 16;

/**
 * Writes a non-negative integer below 2^53 at `p` of `b` (room checked by the caller), digit by
 * digit (below 2^31 in int32 arithmetic, cheaper); returns where it ends. For a loop that writes a
 * whole line into ByteLines.space().
 */
export function putDigits(b: Uint8Array, p: number, x: number): number {
  const end = p + digitCount(x);
  p = end;
  let t = x;
  for (; t > 0x7fffffff; t = Math.floor(t / 10)) b[--p] = 0x30 + (t % 10);
  let small = t | 0;
  for (; small >= 10; small = (small / 10) | 0) b[--p] = 0x30 + (small % 10);
  b[--p] = 0x30 + small;
  return end;
}

/** Writes an IPv4 address kept as a 32-bit integer as a dotted quad at `p` (at most 15 bytes, room checked by the caller); returns where it ends. */
export function putQuad(b: Uint8Array, p: number, addr: number): number {
  p = octet(b, p, (addr >>> 24) & 255);
  b[p++] = 0x2e;
  p = octet(b, p, (addr >>> 16) & 255);
  b[p++] = 0x2e;
  p = octet(b, p, (addr >>> 8) & 255);
  b[p++] = 0x2e;
  return octet(b, p, addr & 255);
}

/** Writes 0..255 in decimal at `p`; returns where it ends. */
function octet(b: Uint8Array, p: number, x: number): number {
  if (x >= 100) {
    b[p++] = 0x30 + ((x / 100) | 0);
    x %= 100;
    b[p++] = 0x30 + ((x / 10) | 0);
  } else if (x >= 10) b[p++] = 0x30 + ((x / 10) | 0);
  b[p++] = 0x30 + (x % 10);
  return p;
}

export class ByteLines {
  private buf: Buffer = Buffer.allocUnsafe(START_SIZE);
  /** A view of `buf` for word stores (encoded). */
  private dv: DataView = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  /** buf.length as a small integer (see Encoded.wordCount: every write checks it). */
  private size = START_SIZE;
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  /**
   * Hands the bytes written so far to `write`, and starts empty again: in the same buffer when
   * `write` says it is done with them (a destination that copied them at once, cli/output.ts),
   * else in a new one. A buffer written again stays in cache, where a new one per write cost a page
   * fault every 4 KiB (measured on the benchmark's text report: 51,000 → 39,000 faults, peak
   * 205 → 164 MB, about 50 ms).
   */
  writeTo(write: (bytes: Uint8Array) => boolean): void {
    if (write(this.buf.subarray(0, this.pos))) this.pos = 0;
    else this.take();
  }

  /** The bytes written so far (the caller keeps them); the buffer starts empty again. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.setBuffer(Buffer.allocUnsafe(Math.max(START_SIZE, this.pos)));
    this.pos = 0;
    return out;
  }

  /** Text known to be ASCII (names, keys, punctuation). */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Bytes of any length, by one `set` (measured cheaper than a byte loop; constant parts go through `encoded`). */
  bytes(b: Uint8Array): void {
    this.copy(b, b.length);
  }

  /**
   * Bytes `[start, end)` of `b`. A short run is copied byte by byte: a `subarray` for `set` is an
   * object on the heap, and `--jobs`' reading thread copies two runs a connection (one of a few
   * bytes): made for each, they were most of what it allocated, and its young generation grew to
   * V8's largest (docs/performance.md, "Peak memory, every output").
   */
  range(b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n > SHORT_RANGE) {
      this.copy(b.subarray(start, end), n);
      return;
    }
    this.room(n);
    const to = this.buf;
    let p = this.pos;
    for (let i = start; i < end; i++) to[p++] = b[i] as number;
    this.pos = p;
  }

  /** All `n` bytes of `b` (n given as a small integer: see `size`). */
  private copy(b: Uint8Array, n: number): void {
    this.room(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  /** Constant text encoded beforehand: a short one word by word (a few bytes past the end may be written, and are not kept), a long one by `set`. */
  encoded(e: Encoded): void {
    const words = e.words;
    const n = e.wordCount;
    if (n === 0) {
      this.copy(e.bytes, e.length);
      return;
    }
    this.room(n * 4);
    const dv = this.dv;
    let p = this.pos;
    for (let i = 0; i < n; i++, p += 4) dv.setInt32(p, words[i] as number, true);
    this.pos += e.length;
  }

  byte(ch: number): void {
    this.room(1);
    this.buf[this.pos++] = ch;
  }

  /** A number as JSON.stringify writes it (non-finite ones as null). */
  number(x: number): void {
    if (Number.isInteger(x) && x >= 0 && x < SAFE_INT) this.digits(x);
    else this.ascii(Number.isFinite(x) ? String(x) : 'null');
  }

  /**
   * `number(k / 10 ** decimals)` for an integer k (a time rounded to ns or µs), without formatting a
   * double: the shortest text of the double nearest k / 10^d is k's digits with the point put back
   * and trailing zeros dropped, as long as it has at most 15 significant digits (DBL_DIG) and JSON
   * would not use an exponent (below 1e-6). Otherwise the double is formatted.
   */
  scaled(k: number, decimals: 6 | 9): void {
    const unit = decimals === 9 ? 1e9 : 1e6;
    const abs = Math.abs(k);
    if (!Number.isInteger(k) || abs >= 1e15 || (abs > 0 && abs * 1e6 < unit)) {
      this.number(k / unit);
      return;
    }
    if (k < 0) this.byte(0x2d);
    const whole = Math.floor(abs / unit);
    let frac = (abs - whole * unit) | 0; // below 1e9: int32 arithmetic from here on
    this.digits(whole);
    if (frac === 0) return;
    let width = decimals;
    while (frac % 10 === 0) {
      frac = (frac / 10) | 0;
      width--;
    }
    this.byte(0x2e);
    for (let zeros = width - digitCount(frac); zeros > 0; zeros--) this.byte(0x30);
    this.digits(frac);
  }

  /**
   * A non-negative integer below 2^53, digit by digit: putDigits written out again, since calling it
   * here cost 1 % more instructions on the ndjson run (cachegrind).
   */
  digits(x: number): void {
    const len = digitCount(x);
    this.room(len);
    const b = this.buf;
    let p = this.pos + len;
    this.pos = p;
    let t = x;
    for (; t > 0x7fffffff; t = Math.floor(t / 10)) b[--p] = 0x30 + (t % 10);
    let small = t | 0;
    for (; small >= 10; small = (small / 10) | 0) b[--p] = 0x30 + (small % 10);
    b[--p] = 0x30 + small;
  }

  /** A JSON string, byte for byte as JSON.stringify writes it. */
  jsonString(s: string): void {
    const n = s.length;
    // Long text (explanations): the native escaper and encoder beat this loop (measured, about 2x).
    if (n > LONG_TEXT) {
      this.utf8(JSON.stringify(s));
      return;
    }
    this.room(n * 3 + 2);
    const b = this.buf;
    const start = this.pos;
    let p = start;
    b[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const ch = s.charCodeAt(i);
      if (ch < 0x80 && !needsEscape(ch)) b[p++] = ch;
      else if (ch < 0x800 && ch >= 0x80) {
        b[p++] = 0xc0 | (ch >> 6);
        b[p++] = 0x80 | (ch & 63);
      } else if (!needsEscape(ch)) {
        b[p++] = 0xe0 | (ch >> 12);
        b[p++] = 0x80 | ((ch >> 6) & 63);
        b[p++] = 0x80 | (ch & 63);
      } else {
        // Rare (escapes, surrogate pairs): let JSON.stringify and the UTF-8 encoder do it.
        this.pos = start;
        this.utf8(JSON.stringify(s));
        return;
      }
    }
    b[p++] = 0x22;
    this.pos = p;
  }

  /** Any text, encoded as UTF-8. */
  utf8(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** An IPv4 address kept as a 32-bit integer, as a dotted quad: one room check, no call a byte (measured: about 16 ns, 70 ns through digits and byte). */
  dottedQuad(addr: number): void {
    this.room(15);
    this.pos = putQuad(this.buf, this.pos, addr);
  }

  /** An address as the connection view's `ip` text: an IPv4 address from its integer, any other as its text. */
  address(id: number | string): void {
    if (typeof id === 'string') this.utf8(id);
    else this.dottedQuad(id);
  }

  /** What was written, as text (UTF-8). */
  text(): string {
    return this.buf.toString('utf8', 0, this.pos);
  }

  /** The bytes written since `start`, in place: valid until the next write. */
  written(start = 0): Uint8Array {
    return this.buf.subarray(start, this.pos);
  }

  /** The buffer itself, with room for `n` more bytes from `length` on: for a loop that writes them directly (then `setLength`). */
  space(n: number): Buffer {
    this.room(n);
    return this.buf;
  }

  /** A DataView of the buffer `space` returns (for word stores into it), valid as long as that buffer. */
  spaceView(): DataView {
    return this.dv;
  }

  /** Where the text ends: after writing into `space()`, or back from the end to forget what follows. */
  setLength(length: number): void {
    this.pos = length;
  }

  /** Makes room for `n` more bytes. */
  private room(n: number): void {
    if (this.pos + n <= this.size) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.setBuffer(bigger);
  }

  private setBuffer(buf: Buffer): void {
    this.buf = buf;
    this.size = buf.length;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
}

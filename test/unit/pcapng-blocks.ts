import { concat as cat } from './bytes.js';

/** pcapng blocks in one byte order (pcapng §3.1 block layout, §4 block bodies). */
export function writer(le: boolean) {
  const num = (n: number | bigint, size: 1 | 2 | 4 | 8): Uint8Array => {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (size === 1) dv.setUint8(0, Number(n));
    if (size === 2) dv.setUint16(0, Number(n), le);
    if (size === 4) dv.setUint32(0, Number(n), le);
    if (size === 8) dv.setBigInt64(0, BigInt(n), le);
    return b;
  };
  const pad = (b: Uint8Array): Uint8Array => cat(b, new Uint8Array((4 - (b.length % 4)) % 4));
  const block = (type: number, ...body: Uint8Array[]): Uint8Array => {
    const inner = pad(cat(...body));
    const len = num(12 + inner.length, 4);
    return cat(num(type, 4), len, inner, len);
  };
  const option = (code: number, value: Uint8Array): Uint8Array => cat(num(code, 2), num(value.length, 2), pad(value));
  const end = num(0, 4); // opt_endofopt
  const ticks = (t: bigint): Uint8Array => cat(num(t >> 32n, 4), num(t & 0xffffffffn, 4));
  return {
    num,
    shb: (): Uint8Array => block(0x0a0d0d0a, num(0x1a2b3c4d, 4), num(1, 2), num(0, 2), num(-1, 8)),
    idb: (linkType: number, ...options: Uint8Array[]): Uint8Array =>
      block(1, num(linkType, 2), num(0, 2), num(0, 4), ...options, ...(options.length ? [end] : [])),
    tsresol: (v: number): Uint8Array => option(9, num(v, 1)),
    tsoffset: (sec: number): Uint8Array => option(14, num(sec, 8)),
    epb: (iface: number, t: bigint, data: Uint8Array, origLen = data.length): Uint8Array =>
      block(6, num(iface, 4), ticks(t), num(data.length, 4), num(origLen, 4), data),
    opb: (iface: number, t: bigint, data: Uint8Array): Uint8Array =>
      block(2, num(iface, 2), num(0, 2), ticks(t), num(data.length, 4), num(data.length, 4), data),
    spb: (origLen: number, data: Uint8Array): Uint8Array => block(3, num(origLen, 4), data),
    isb: (iface: number, t: bigint, endTime: bigint, ...more: Uint8Array[]): Uint8Array =>
      block(5, num(iface, 4), ticks(t), option(3, ticks(endTime)), ...more, end),
    /** isb_ifdrop (5) or isb_osdrop (7): a 64-bit count. */
    drops: (code: 5 | 7, n: number): Uint8Array => option(code, num(n, 8)),
    block,
  };
}

import { concat } from './bytes.js';

export { concat };
/**
 * A small capture writer for tests: TCP/IP packets on EN10MB, RAW and LINUX_SLL2 links, written as
 * classic pcap (either byte order, micro- or nanoseconds) or pcapng (either byte order, if_tsresol
 * 6 or 9). Only what the round-trip property tests need; no checksums (nothing reads them).
 */

export const LINKTYPE = { EN10MB: 1, RAW: 101, LINUX_SLL2: 276 } as const;
export type LinkType = (typeof LINKTYPE)[keyof typeof LINKTYPE];

/** A TCP option as written: kind, then the value bytes (the length byte is computed). NOP and EOL have no length. */
export type RawOption = { kind: 0 | 1 } | { kind: number; value: Uint8Array };

export interface TcpSpec {
  /** 4 bytes (IPv4) or 16 bytes (IPv6). */
  src: Uint8Array;
  dst: Uint8Array;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The 9 flag bits (RFC 9293 §3.1). */
  flags: number;
  window: number;
  urgent: number;
  options: RawOption[];
  payload: Uint8Array;
}

export interface PacketSpec {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire; defaults to data.length. */
  origLen?: number;
}


/** The TCP options bytes, padded with EOL to a multiple of 4. */
export function optionBytes(options: RawOption[]): Uint8Array {
  const parts = options.map((o) => ('value' in o ? concat(Uint8Array.of(o.kind, o.value.length + 2), o.value) : Uint8Array.of(o.kind)));
  const raw = concat(...parts);
  return concat(raw, new Uint8Array((4 - (raw.length % 4)) % 4));
}

/** The TCP header and payload. */
export function tcpBytes(t: TcpSpec): Uint8Array {
  const options = optionBytes(t.options);
  const header = new Uint8Array(20);
  const dv = new DataView(header.buffer);
  dv.setUint16(0, t.srcPort);
  dv.setUint16(2, t.dstPort);
  dv.setUint32(4, t.seq >>> 0);
  dv.setUint32(8, t.ack >>> 0);
  dv.setUint16(12, ((5 + options.length / 4) << 12) | (t.flags & 0x1ff));
  dv.setUint16(14, t.window);
  dv.setUint16(18, t.urgent);
  return concat(header, options, t.payload);
}

/** An IPv4 or IPv6 packet (by address length) carrying the TCP segment. */
export function ipPacket(t: TcpSpec): Uint8Array {
  const tcp = tcpBytes(t);
  if (t.src.length === 4) {
    const h = new Uint8Array(20);
    const dv = new DataView(h.buffer);
    dv.setUint8(0, 0x45);
    dv.setUint16(2, 20 + tcp.length);
    dv.setUint16(6, 0x4000); // DF, not a fragment
    dv.setUint8(8, 64);
    dv.setUint8(9, 6);
    h.set(t.src, 12);
    h.set(t.dst, 16);
    return concat(h, tcp);
  }
  const h = new Uint8Array(40);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, 0x60000000);
  dv.setUint16(4, tcp.length);
  dv.setUint8(6, 6);
  dv.setUint8(7, 64);
  h.set(t.src, 8);
  h.set(t.dst, 24);
  return concat(h, tcp);
}

/** The IP packet behind a link-layer header. EN10MB may carry an 802.1Q tag. */
export function linkFrame(linkType: LinkType, ip: Uint8Array, vlan?: number): Uint8Array {
  const ethertype = (ip[0] ?? 0) >> 4 === 6 ? 0x86dd : 0x0800;
  if (linkType === LINKTYPE.RAW) return ip;
  if (linkType === LINKTYPE.EN10MB) {
    const tag = vlan === undefined ? new Uint8Array(0) : Uint8Array.of(0x81, 0x00, (vlan >> 8) & 0x0f, vlan & 0xff);
    const macs = Uint8Array.of(0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10);
    return concat(macs, tag, Uint8Array.of(ethertype >> 8, ethertype & 0xff), ip);
  }
  const sll2 = new Uint8Array(20);
  const dv = new DataView(sll2.buffer);
  dv.setUint16(0, ethertype);
  dv.setUint32(4, 1); // ifindex
  dv.setUint16(8, 772); // ARPHRD_LOOPBACK
  dv.setUint8(10, 0); // to us
  dv.setUint8(11, 6);
  return concat(sll2, ip);
}

export interface PcapOptions {
  littleEndian: boolean;
  nano: boolean;
  linkType: number;
  snaplen?: number;
}

/** Classic pcap. With microsecond timestamps, tsNsec must be a whole number of microseconds. */
export function writePcap(o: PcapOptions, packets: PacketSpec[]): Uint8Array {
  const le = o.littleEndian;
  const head = new Uint8Array(24);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(16, o.snaplen ?? 262144, le);
  dv.setUint32(20, o.linkType, le);
  return concat(head, ...packets.map((p) => {
    const r = new Uint8Array(16);
    const rv = new DataView(r.buffer);
    rv.setUint32(0, p.tsSec, le);
    rv.setUint32(4, o.nano ? p.tsNsec : p.tsNsec / 1000, le);
    rv.setUint32(8, p.data.length, le);
    rv.setUint32(12, p.origLen ?? p.data.length, le);
    return concat(r, p.data);
  }));
}

export interface PcapngOptions {
  littleEndian: boolean;
  /** if_tsresol: 10^-6 or 10^-9 seconds a tick. */
  tsresol: 6 | 9;
  linkType: number;
}

/** pcapng: one section, one interface, EPBs (pcapng §4.1–4.3). */
export function writePcapng(o: PcapngOptions, packets: PacketSpec[]): Uint8Array {
  const le = o.littleEndian;
  const shb = block(le, 0x0a0d0d0a, concat(u32(le, 0x1a2b3c4d), u16(le, 1), u16(le, 0), u32(le, 0xffffffff), u32(le, 0xffffffff)));
  const tsresol = concat(u16(le, 9), u16(le, 1), Uint8Array.of(o.tsresol, 0, 0, 0));
  const idb = block(le, 1, concat(u16(le, o.linkType), u16(le, 0), u32(le, 0), tsresol, u32(le, 0)));
  const perTick = o.tsresol === 9 ? 1n : 1000n;
  const epbs = packets.map((p) => {
    const ticks = (BigInt(p.tsSec) * 1_000_000_000n + BigInt(p.tsNsec)) / perTick;
    const data = concat(p.data, new Uint8Array((4 - (p.data.length % 4)) % 4));
    return block(le, 6, concat(u32(le, 0), u32(le, Number(ticks >> 32n)), u32(le, Number(ticks & 0xffffffffn)),
      u32(le, p.data.length), u32(le, p.origLen ?? p.data.length), data));
  });
  return concat(shb, idb, ...epbs);
}

function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const length = 12 + body.length;
  return concat(u32(le, type), u32(le, length), body, u32(le, length));
}

function u32(le: boolean, x: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, x >>> 0, le);
  return b;
}

function u16(le: boolean, x: number): Uint8Array {
  const b = new Uint8Array(2);
  new DataView(b.buffer).setUint16(0, x & 0xffff, le);
  return b;
}

/**
 * One Ethernet/IPv4/TCP packet header of a large generated capture: addresses as 32-bit integers
 * (signed or not), `len` payload bytes counted in the lengths but not stored (a headers-only snap).
 */
export interface HeaderPacket {
  sec: number;
  usec: number;
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  len?: number;
}

/** Bytes of one HeaderPacket record: the record header, Ethernet, IPv4 and TCP (no options). */
const HEADER_RECORD = 16 + 14 + 20 + 20;

/**
 * A classic pcap of up to `count` header-only packets, written straight into one buffer: for the
 * tests that need hundreds of thousands of packets (writePcap builds an array per packet).
 */
export function headerPcap(packets: Iterable<HeaderPacket>, count: number): Buffer {
  const b = Buffer.alloc(24 + count * HEADER_RECORD);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(LINKTYPE.EN10MB, 20);
  let o = 24;
  for (const p of packets) {
    const len = p.len ?? 0;
    b.writeUInt32LE(p.sec, o);
    b.writeUInt32LE(p.usec, o + 4);
    b.writeUInt32LE(HEADER_RECORD - 16, o + 8);
    b.writeUInt32LE(HEADER_RECORD - 16 + len, o + 12);
    b.writeUInt16BE(0x0800, o + 28);
    b[o + 30] = 0x45;
    b.writeUInt16BE(40 + len, o + 32);
    b[o + 38] = 64;
    b[o + 39] = 6;
    b.writeUInt32BE(p.src >>> 0, o + 42);
    b.writeUInt32BE(p.dst >>> 0, o + 46);
    b.writeUInt16BE(p.srcPort, o + 50);
    b.writeUInt16BE(p.dstPort, o + 52);
    b.writeUInt32BE(p.seq >>> 0, o + 54);
    b.writeUInt32BE(p.ack >>> 0, o + 58);
    b.writeUInt16BE((5 << 12) | p.flags, o + 62);
    b.writeUInt16BE(65535, o + 64);
    o += HEADER_RECORD;
  }
  return b.subarray(0, o);
}

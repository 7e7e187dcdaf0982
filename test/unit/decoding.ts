/**
 * What the decoder tests share: records made from hex, one SegmentDecoder run over them, and the
 * two packets most cases wrap in link headers or change a byte of.
 */
import type { CaptureRecord } from '../../src/capture/record.js';
import { SegmentDecoder } from '../../src/decode/decoder.js';
import type { SkipReason, TcpOption, TcpSegment } from '../../src/decode/segment.js';
import { copySegment } from '../../src/decode/segment.js';
import { concat as cat, hex } from './bytes.js';

export function record(linkType: number, data: Uint8Array, no = 7): CaptureRecord {
  return { no, offset: 0, linkType, tsSec: 1700000000, tsNsec: 123456000, caplen: data.length, origLen: data.length, data };
}

/**
 * The record as a reader gives it: its bytes at `at` in a larger buffer whose other bytes are
 * 0xff, so that a read past the record's end would find values, not the end of the buffer.
 */
export function placed(linkType: number, data: Uint8Array, at: number): CaptureRecord {
  const bytes = new Uint8Array(at + data.length + 64).fill(0xff);
  bytes.set(data, at);
  return { ...record(linkType, data), data: bytes.subarray(at, at + data.length), bytes, at };
}

/** A decoded segment's fields, copied out of the reused one (srcV4/dstV4 always present, maybe undefined). */
export type Decoded = Omit<TcpSegment, 'srcV4' | 'dstV4'> & { srcV4: number | undefined; dstV4: number | undefined };

export interface Refused {
  reason: SkipReason;
  detail: string | undefined;
}

/**
 * One decoder for every case in a file, as the Analyzer keeps one for a whole capture: a field
 * the decoder forgot to reset would show up as the previous case's value.
 */
const decoder = new SegmentDecoder();

/**
 * The decoder's answer for a record: its segment's fields (read while still valid), or why it
 * refused. A decoder holds fragments from record to record: compare two decoders fed alike.
 */
export function decodeRecord(r: CaptureRecord, d = decoder): Decoded | Refused {
  const reason = d.decode(r);
  if (reason !== undefined) return { reason, detail: d.skipDetail() };
  const s = d.segment;
  return { ...copySegment(s), srcV4: s.srcV4, dstV4: s.dstV4 };
}

export const decodeBytes = (linkType: number, data: Uint8Array): Decoded | Refused => decodeRecord(record(linkType, data));

/** The segment, or a failed test saying why there was none. */
export function segmentOf(d: Decoded | Refused): Decoded {
  if ('reason' in d) throw new Error(`expected a TCP segment, got ${d.reason} (${d.detail ?? ''})`);
  return d;
}

/** A dotted quad as the signed 32-bit integer srcV4/dstV4 hold. */
export const v4 = (text: string): number => text.split('.').reduce((n, part) => (n << 8) | Number(part), 0) | 0;

// IP 192.168.0.1.54210 > 192.168.0.2.80: Flags [S], seq 40960, win 64240,
//   options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7], length 0
// 	0x0000:  4500 003c 1c46 4000 4006 0000 c0a8 0001  E..<.F@.@.......
// 	0x0010:  c0a8 0002 d3c2 0050 0000 a000 0000 0000  .......P........
// 	0x0020:  a002 faf0 0000 0000 0204 05b4 0402 080a  ................
// 	0x0030:  0001 e240 0000 0000 0103 0307            ...@........
export const IPV4_SYN = hex(`
  4500 003c 1c46 4000 4006 0000 c0a8 0001 c0a8 0002   # IPv4 ihl 5 len 60 DF TCP 192.168.0.1 > 192.168.0.2
  d3c2 0050 0000 a000 0000 0000 a002 faf0 0000 0000   # 54210 > 80 seq 40960 doff 10 [S] win 64240
  0204 05b4 0402 080a 0001 e240 0000 0000 0103 0307   # mss 1460, sackOK, TS 123456/0, nop, wscale 7
`);

export const SYN_OPTIONS: TcpOption[] = [
  { kind: 'mss', value: 1460 },
  { kind: 'sack_perm' },
  { kind: 'ts', tsval: 123456, tsecr: 0 },
  { kind: 'nop' },
  { kind: 'ws', shift: 7 },
];

// IP6 2001:db8::1 > 2001:db8::2: HBH DSTOPT 443 > 50000: Flags [F.], seq 1, ack 2, win 512, length 0
// 	0x0000:  6000 0000 0024 0040 2001 0db8 0000 0000  `....$.@........
// 	0x0010:  0000 0000 0000 0001 2001 0db8 0000 0000  ................
// 	0x0020:  0000 0000 0000 0002 3c00 0104 0000 0000  ........<.......
// 	0x0030:  0600 0104 0000 0000 01bb c350 0000 0001  ...........P....
// 	0x0040:  0000 0002 5011 0200 0000 0000            ....P.......
export const IPV6_EXT_FIN = hex(`
  6000 0000 0024 0040                         # IPv6, payload 36, next header 0 (hop-by-hop), hlim 64
  2001 0db8 0000 0000 0000 0000 0000 0001     # src 2001:db8::1
  2001 0db8 0000 0000 0000 0000 0000 0002     # dst 2001:db8::2
  3c00 0104 0000 0000                         # hop-by-hop: next 60, len 0, PadN
  0600 0104 0000 0000                         # destination options: next 6 (TCP), len 0, PadN
  01bb c350 0000 0001 0000 0002 5011 0200 0000 0000  # 443 > 50000 [F.] seq 1 ack 2 win 512
`);

/** An IPv4 header (no options) around `payload`: protocol, 10.0.0.5 > 10.0.0.6 unless told. */
export function ipv4(protocol: number, payload: Uint8Array, src = '0a000005', dst = '0a000006'): Uint8Array {
  const total = (20 + payload.length).toString(16).padStart(4, '0');
  return cat(hex(`4500 ${total} 0001 0000 40${protocol.toString(16).padStart(2, '0')} 0000 ${src} ${dst}`), payload);
}

export function udp(src: number, dst: number, payload: Uint8Array): Uint8Array {
  const h = (n: number): string => n.toString(16).padStart(4, '0');
  return cat(hex(`${h(src)} ${h(dst)} ${h(8 + payload.length)} 0000`), payload);
}

export const ETH_IPV4 = hex('0200 0000 0001 0200 0000 0002 0800');
export const vxlan = (vni: number, inner: Uint8Array): Uint8Array =>
  cat(hex(`0800 0000 ${(vni << 8 >>> 0).toString(16).padStart(8, '0')}`), ETH_IPV4, inner);


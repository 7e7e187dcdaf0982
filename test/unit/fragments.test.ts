/**
 * Fragment reassembly (decode/fragments.ts) through the one decoder, on hand-built fragments of
 * the decoder tests' packets (RFC 791 §3.2, RFC 8200 §4.5): in order, out of order, duplicated,
 * overlapping (RFC 5722: the datagram is dropped), timed out, and past the limits. The real
 * fragments are fixtures (fragments-router, fragments-vxlan).
 */
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../src/capture/record.js';
import { SegmentDecoder } from '../../src/decode/decoder.js';
import { MAX_DATAGRAMS } from '../../src/decode/fragments.js';
import { concat as cat, hex } from './bytes.js';
import { IPV4_SYN, IPV6_EXT_FIN, SYN_OPTIONS, ipv4, record, udp, vxlan } from './decoding.js';

const h4 = (n: number): string => n.toString(16).padStart(4, '0');

/** A fragment of IPV4_SYN's 40 TCP bytes: [from, to), id 0x1c46 unless told. */
function v4Frag(from: number, to: number, more: boolean, id = 0x1c46, payload = IPV4_SYN.subarray(20)): Uint8Array {
  const field = (more ? 0x2000 : 0) | (from / 8);
  return cat(hex(`4500 ${h4(20 + to - from)} ${h4(id)} ${h4(field)} 4006 0000 c0a8 0001 c0a8 0002`), payload.subarray(from, to));
}

const V6_TCP_FIN = IPV6_EXT_FIN.subarray(56);
const V6_ADDRESSES = IPV6_EXT_FIN.subarray(8, 40);

/** A fragment of an IPv6 FIN's 20 TCP bytes, after a hop-by-hop header when `hop`. */
function v6Frag(from: number, to: number, more: boolean, hop = false): Uint8Array {
  const field = from | (more ? 1 : 0);
  const ext = hop ? hex('2c00 0104 0000 0000') : new Uint8Array(0); // hop-by-hop: next 44 (fragment)
  return cat(
    hex(`6000 0000 ${h4(ext.length + 8 + to - from)} ${hop ? '00' : '2c'}40`), V6_ADDRESSES, ext,
    hex(`0600 ${h4(field)} 0000 0abc`), V6_TCP_FIN.subarray(from, to),
  );
}

function at(data: Uint8Array, no: number, sec = 1700000000): CaptureRecord {
  return { ...record(101, data, no), tsSec: sec };
}

describe('fragments', () => {
  it('IPv4, in order: the segment comes with the last fragment, in its record', () => {
    const d = new SegmentDecoder();
    expect(d.decode(at(v4Frag(0, 16, true), 1))).toBe('fragment');
    expect(d.decode(at(v4Frag(16, 40, false), 2))).toBeUndefined();
    expect(d.segment).toMatchObject({ no: 2, src: '192.168.0.1', dst: '192.168.0.2', srcPort: 54210, payloadLen: 0, options: SYN_OPTIONS });
    expect(d.fragments.reassembled).toBe(1);
  });

  it('IPv4, out of order, with a duplicate fragment ignored', () => {
    const d = new SegmentDecoder();
    expect(d.decode(at(v4Frag(24, 40, false), 1))).toBe('fragment');
    expect(d.decode(at(v4Frag(0, 8, true), 2))).toBe('fragment');
    expect(d.decode(at(v4Frag(0, 8, true), 3))).toBe('fragment');
    expect(d.decode(at(v4Frag(8, 24, true), 4))).toBeUndefined();
    expect(d.segment.options).toEqual(SYN_OPTIONS);
    expect(d.fragments).toMatchObject({ reassembled: 1, dropped: 0 });
  });

  it('IPv4 overlap that is not a duplicate drops the datagram (as Linux)', () => {
    const d = new SegmentDecoder();
    d.decode(at(v4Frag(0, 16, true), 1));
    expect(d.decode(at(v4Frag(8, 24, true), 2))).toBe('fragment');
    expect(d.decode(at(v4Frag(24, 40, false), 3))).toBe('fragment');
    expect(d.fragments).toMatchObject({ reassembled: 0, dropped: 2 });
  });

  it('a piece held beyond the end the last fragment gives drops the datagram (a gap below it once made it overrun)', () => {
    const d = new SegmentDecoder();
    expect(d.decode(at(v4Frag(0, 8, true), 1))).toBe('fragment');
    expect(d.decode(at(v4Frag(24, 32, true), 2))).toBe('fragment');
    expect(d.decode(at(v4Frag(16, 24, false), 3))).toBe('fragment');
    expect(d.fragments.dropped).toBe(3);
  });

  it('IPv6 (RFC 8200 §4.5), also behind a hop-by-hop header: the next header restored', () => {
    for (const hop of [false, true]) {
      const d = new SegmentDecoder();
      expect(d.decode(at(v6Frag(8, 20, false, hop), 1))).toBe('fragment');
      expect(d.decode(at(v6Frag(0, 8, true, hop), 2))).toBeUndefined();
      expect(d.segment).toMatchObject({ no: 2, src: '2001:db8::1', srcPort: 443, dstPort: 50000, payloadLen: 0 });
    }
  });

  it('IPv6 overlap drops the datagram (RFC 5722)', () => {
    const d = new SegmentDecoder();
    d.decode(at(v6Frag(0, 16, true), 1));
    expect(d.decode(at(v6Frag(8, 20, false), 2))).toBe('fragment');
    expect(d.fragments.dropped).toBe(2);
  });

  it('a datagram not whole within its timeout is dropped', () => {
    const d = new SegmentDecoder();
    d.decode(at(v4Frag(0, 16, true), 1, 100));
    expect(d.decode(at(v4Frag(16, 40, false), 2, 131))).toBe('fragment');
    expect(d.fragments.dropped).toBe(1);
  });

  it('at most MAX_DATAGRAMS are held: the oldest goes', () => {
    const d = new SegmentDecoder();
    for (let id = 0; id <= MAX_DATAGRAMS; id++) d.decode(at(v4Frag(0, 16, true, id), id + 1));
    expect(d.fragments.dropped).toBe(1);
    expect(d.decode(at(v4Frag(16, 40, false, 0), 1000))).toBe('fragment');
    expect(d.decode(at(v4Frag(16, 40, false, MAX_DATAGRAMS), 1001))).toBeUndefined();
  });

  it('fragments that cannot be placed are dropped: not in 8-byte units, or cut by the capture', () => {
    const d = new SegmentDecoder();
    expect(d.decode(at(v4Frag(0, 12, true), 1))).toBe('fragment');
    expect(d.decode(at(v4Frag(8, 24, true).subarray(0, 30), 2))).toBe('fragment');
    expect(d.fragments.dropped).toBe(2);
  });

  it('a fragmented VXLAN packet: reassembled, then opened', () => {
    const whole = ipv4(17, udp(50000, 4789, vxlan(42, IPV4_SYN)));
    const payload = whole.subarray(20);
    const frag = (from: number, to: number, more: boolean): Uint8Array =>
      cat(hex(`4500 ${h4(20 + to - from)} 0077 ${h4((more ? 0x2000 : 0) | (from / 8))} 4011 0000 0a00 0005 0a00 0006`), payload.subarray(from, to));
    const d = new SegmentDecoder();
    expect(d.decode(at(frag(0, 48, true), 1))).toBe('fragment');
    expect(d.decode(at(frag(48, payload.length, false), 2))).toBeUndefined();
    expect(d.segment.via).toEqual({ type: 'vxlan', id: 42, outer: { src: '10.0.0.5', dst: '10.0.0.6' } });
  });
});

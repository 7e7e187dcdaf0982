/**
 * The TCP header (RFC 9293 §3.1) and its options: MSS (RFC 9293 §3.7.1), window scale and
 * timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
 */
import { u16, u32, u8 } from './bytes.js';
import type { Frame } from './frame.js';
import type { SkipInfo, TcpOption, TcpSegment } from './segment.js';

/** Each way the TCP layer refuses a record, and what it says. */
export const TCP_SKIPS = {
  'tcp-cut': { reason: 'truncated', detail: 'TCP header' },
  'tcp-data-offset': { reason: 'malformed', detail: (dataOffset) => `TCP data offset ${dataOffset} < 5` },
  'tcp-header-length': { reason: 'malformed', detail: (headerLen, l4Length) => `TCP header length ${headerLen} > IP payload length ${l4Length}` },
} as const satisfies Record<string, SkipInfo>;

export type TcpSkip = keyof typeof TCP_SKIPS;

/** The fields of a segment the TCP header gives, options aside (read from `f.optFrom`/`f.optEnd` on demand). */
export type TcpHeader = Pick<TcpSegment, 'srcPort' | 'dstPort' | 'seq' | 'ack' | 'flags' | 'window' | 'urgent' | 'payloadLen' | 'headerCut' | 'unmeasured'>;

/**
 * Reads the header at `f.tcpAt` into `s`, and sets where its options lie (`f.optFrom`, `f.optEnd`:
 * the header's end, or the capture's if it cut the header). `f.tcpLength` is the TCP header and
 * payload length the IP header gives (it may exceed what was captured).
 */
export function tcpLayer(f: Frame, s: TcpHeader): TcpSkip | undefined {
  const v = f.view;
  const o = f.tcpAt;
  const end = f.end;
  if (end - o < 20) return 'tcp-cut';
  // Data offset (4 bits), reserved (3), flags (9): RFC 9293 §3.1.
  const offsetAndFlags = v.getUint16(o + 12);
  const dataOffset = offsetAndFlags >> 12;
  if (dataOffset < 5) return f.skip('tcp-data-offset', dataOffset);
  const headerLen = dataOffset * 4;
  const l4Length = f.tcpLength;
  if (headerLen > l4Length) return f.skip('tcp-header-length', headerLen, l4Length);
  const ports = v.getUint32(o);
  s.srcPort = ports >>> 16;
  s.dstPort = ports & 0xffff;
  s.seq = v.getUint32(o + 4);
  s.ack = v.getUint32(o + 8);
  // The reserved bits are kept: tshark's flag text names them (`Reserved`), and nothing else reads them.
  s.flags = offsetAndFlags & 0xfff;
  s.window = v.getUint16(o + 14);
  s.urgent = v.getUint16(o + 18);
  s.payloadLen = l4Length - headerLen;
  f.optFrom = o + 20;
  f.optEnd = headerLen > 20 ? Math.min(o + headerLen, end) : 0;
  s.headerCut = o + headerLen > end;
  s.unmeasured = f.firstFragment;
  return undefined;
}

/** Expected total length of each option we decode (kind, length, value). */
const FIXED_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

/**
 * Options between `from` and `end`. EOL stops; a length that is too small or runs past the end
 * stops too, keeping what was decoded before it; one that does not fit its kind is passed over. Unknown kinds keep a copy
 * of their value, since the record's bytes do not outlive the reader's callback. `cut`: `end` is
 * where the capture cut the header, and an MD5 or TCP-AO option it cuts is still named.
 */
export function decodeOptions(d: Uint8Array, from: number, end: number, cut = false): TcpOption[] {
  const options: TcpOption[] = [];
  let pos = from;
  while (pos < end) {
    const kind = u8(d, pos);
    if (kind === 0) {
      options.push({ kind: 'eol' });
      break;
    }
    if (kind === 1) {
      options.push({ kind: 'nop' });
      pos += 1;
      continue;
    }
    if (pos + 2 > end) break;
    const len = u8(d, pos + 1);
    if (len < 2) break;
    if (pos + len > end) {
      // Cut by the capture: tshark's MD5 and TCP-AO dissectors name the option before they read it.
      if (cut && (kind === 19 || kind === 29)) options.push({ kind: 'other', type: kind, data: d.slice(pos + 2, end) });
      break;
    }
    const fixed = FIXED_LENGTH[kind];
    // A known option of the wrong length is passed over, as tshark does, and the walk goes on.
    if (fixed !== undefined && len !== fixed) {
      pos += len;
      continue;
    }
    switch (kind) {
      case 2:
        options.push({ kind: 'mss', value: u16(d, pos + 2) });
        break;
      case 3:
        options.push({ kind: 'ws', shift: u8(d, pos + 2) });
        break;
      case 4:
        options.push({ kind: 'sack_perm' });
        break;
      case 5: {
        if ((len - 2) % 8 !== 0) return options;
        const blocks: Array<[number, number]> = [];
        for (let b = pos + 2; b < pos + len; b += 8) blocks.push([u32(d, b), u32(d, b + 4)]);
        options.push({ kind: 'sack', blocks });
        break;
      }
      case 8:
        options.push({ kind: 'ts', tsval: u32(d, pos + 2), tsecr: u32(d, pos + 6) });
        break;
      default:
        options.push({ kind: 'other', type: kind, data: d.slice(pos + 2, pos + len) });
    }
    pos += len;
  }
  return options;
}

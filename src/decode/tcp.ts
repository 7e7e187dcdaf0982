/**
 * The TCP header (RFC 9293 §3.1) and its options: MSS (RFC 9293 §3.7.1), window scale and
 * timestamps (RFC 7323), SACK-permitted and SACK (RFC 2018).
 */
import { skip, u16, u32, u8, type Skipped } from './bytes.js';
import type { TcpOption, TcpSegment } from './segment.js';

/** The fields of a segment the TCP header gives. */
export type TcpHeader = Pick<TcpSegment, 'srcPort' | 'dstPort' | 'seq' | 'ack' | 'flags' | 'window' | 'urgent' | 'payloadLen' | 'options'>;

/** `l4Length`: the TCP header and payload length the IP header gives (may exceed what was captured). */
export function decodeTcp(d: Uint8Array, o: number, l4Length: number): TcpHeader | Skipped {
  if (d.length - o < 20) return skip('truncated', 'TCP header');
  const dataOffset = u8(d, o + 12) >> 4;
  if (dataOffset < 5) return skip('malformed', `TCP data offset ${dataOffset} < 5`);
  const headerLen = dataOffset * 4;
  if (headerLen > l4Length) return skip('malformed', `TCP header length ${headerLen} > IP payload length ${l4Length}`);
  return {
    srcPort: u16(d, o),
    dstPort: u16(d, o + 2),
    seq: u32(d, o + 4),
    ack: u32(d, o + 8),
    flags: u16(d, o + 12) & 0x1ff,
    window: u16(d, o + 14),
    urgent: u16(d, o + 18),
    payloadLen: l4Length - headerLen,
    options: headerLen > 20 ? decodeOptions(d, o + 20, Math.min(o + headerLen, d.length)) : [],
  };
}

/** Expected total length of each option we decode (kind, length, value). */
const FIXED_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

/**
 * Options between `from` and `end` (the header's end, or the capture's if it cut the header).
 * EOL stops; a length that is too small, runs past the end or does not fit its kind stops too,
 * keeping what was decoded before it. Unknown kinds keep a copy of their value, since the record's
 * bytes do not outlive the reader's callback.
 */
export function decodeOptions(d: Uint8Array, from: number, end: number): TcpOption[] {
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
    if (len < 2 || pos + len > end) break;
    const fixed = FIXED_LENGTH[kind];
    if (fixed !== undefined && len !== fixed) break;
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

import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';

/**
 * Zeek's history letters (conn.log `history`): S SYN, H SYN-ACK, A pure ACK, D data, F FIN, R RST;
 * upper case for the client, lower case for the server; each letter once, in order of first sight.
 *
 * Kept as numbers, not strings (it is updated for every packet): a mask of the letters seen, and
 * the letters in order as base-16 digits (1 + index into HISTORY_LETTERS; at most 12 digits, exact
 * in a double). Within one packet the letters are added in index order, which is the order Zeek's
 * checks run in: SYN or SYN-ACK, FIN, RST, then data or pure ACK.
 */
export const HISTORY_LETTERS = 'SHFRDAshfrda';
const S = 1;
const H = 2;
const F = 4;
const R = 8;
const D = 16;
const A = 32;

/** The letters (as mask bits) a segment shows. */
export function historyBits(seg: TcpSegment, fromClient: boolean): number {
  const f = seg.flags;
  let b = 0;
  if (f & TcpFlag.SYN) b |= f & TcpFlag.ACK ? H : S;
  if (f & TcpFlag.FIN) b |= F;
  if (f & TcpFlag.RST) b |= R;
  if (seg.payloadLen > 0) b |= D;
  else if (f & TcpFlag.ACK && !(f & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST))) b |= A;
  return fromClient ? b : b << 6;
}

/** `seq` with the letters of `fresh` (bits not seen before) appended in index order. */
export function appendHistory(seq: number, fresh: number): number {
  let out = seq;
  for (let i = 0; i < HISTORY_LETTERS.length; i++) if (fresh & (1 << i)) out = out * 16 + i + 1;
  return out;
}

/** The history as Zeek prints it. */
export function historyText(seq: number): string {
  let text = '';
  for (let rest = seq; rest > 0; rest = Math.floor(rest / 16)) text = HISTORY_LETTERS.charAt((rest % 16) - 1) + text;
  return text;
}

/** The digits of history text (historyText's inverse): for writers handed the text of a finished connection. */
export function historyDigitsOf(text: string): number {
  let seq = 0;
  for (let i = 0; i < text.length; i++) seq = seq * 16 + HISTORY_LETTERS.indexOf(text.charAt(i)) + 1;
  return seq;
}

import type { TcpSegment } from '../decode/segment.js';
import { ACK, FIN, RST, SYN } from '../decode/segment.js';

/** Appends one letter (upper case for the client) unless the history has it already. */
function letter(history: string, upper: string, lower: string, fromClient: boolean): string {
  const l = fromClient ? upper : lower;
  return history.includes(l) ? history : history + l;
}

/**
 * Zeek's history letters (conn.log `history`): S SYN, H SYN-ACK, A pure ACK, D data, F FIN, R RST;
 * upper case for the client, lower case for the server; each letter once, in order of first sight.
 * (Called for every packet: no strings are made unless a letter is new.)
 */
export function addHistory(history: string, seg: TcpSegment, fromClient: boolean): string {
  const f = seg.flags;
  let h = history;
  if (f & SYN) h = f & ACK ? letter(h, 'H', 'h', fromClient) : letter(h, 'S', 's', fromClient);
  if (f & FIN) h = letter(h, 'F', 'f', fromClient);
  if (f & RST) h = letter(h, 'R', 'r', fromClient);
  if (seg.payloadLen > 0) h = letter(h, 'D', 'd', fromClient);
  else if (f & ACK && !(f & (SYN | FIN | RST))) h = letter(h, 'A', 'a', fromClient);
  return h;
}

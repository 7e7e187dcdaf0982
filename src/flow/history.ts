import type { TcpSegment } from '../decode/segment.js';
import { ACK, FIN, RST, SYN } from '../decode/segment.js';

/**
 * Zeek's history letters (conn.log `history`): S SYN, H SYN-ACK, A pure ACK, D data, F FIN, R RST;
 * upper case for the client, lower case for the server; each letter once, in order of first sight.
 */
export function addHistory(history: string, seg: TcpSegment, fromClient: boolean): string {
  const f = seg.flags;
  let letters = '';
  if (f & SYN) letters += f & ACK ? 'H' : 'S';
  if (f & FIN) letters += 'F';
  if (f & RST) letters += 'R';
  if (seg.payloadLen > 0) letters += 'D';
  else if (f & ACK && !(f & (SYN | FIN | RST))) letters += 'A';
  for (const upper of letters) {
    const l = fromClient ? upper : upper.toLowerCase();
    if (!history.includes(l)) history += l;
  }
  return history;
}

import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../decode/segment.js';

/** Flag names in the order tshark lists them (`[FIN, PSH, ACK]`). */
const ORDER: Array<[number, string]> = [
  [FIN, 'FIN'], [SYN, 'SYN'], [RST, 'RST'], [PSH, 'PSH'], [ACK, 'ACK'], [URG, 'URG'], [ECE, 'ECE'], [CWR, 'CWR'], [AE, 'AE'],
];

/** `FIN,ACK`: the JSON form of a segment's flags (SPEC 5). */
export function flagList(flags: number): string {
  let s = '';
  for (const [bit, name] of ORDER) if (flags & bit) s += s ? `,${name}` : name;
  return s;
}

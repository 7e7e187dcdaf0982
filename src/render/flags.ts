import { flagNames } from './info.js';

/** `FIN,ACK`: the JSON form of a segment's flags (docs/contract.md, "packet"), the Info column's list without spaces. */
export function flagList(flags: number): string {
  return flagNames(flags).replaceAll(', ', ',');
}

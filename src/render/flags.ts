import { flagNames } from './info.js';

/** `FIN,ACK`: the JSON form of a segment's flags (SPEC 5), the Info column's list without spaces. */
export function flagList(flags: number): string {
  return flagNames(flags).replaceAll(', ', ',');
}

/**
 * The closed set of verdicts (docs/contract.md, "Teardown classes"): the class and detail names,
 * the sides a verdict names, and each allowed class/detail pair as a key whose index renderers
 * look their words up by. Nothing here imports the rules (teardown.ts): they import this.
 */
import type { Side } from '../tcp/states.js';

/** Every connection gets exactly one of these. */
export type TeardownClass = 'refused' | 'unanswered' | 'rst-after-close' | 'abort' | 'half-close' | 'graceful' | 'stuck' | 'open';

export const TEARDOWN_CLASSES: readonly TeardownClass[] = ['refused', 'unanswered', 'rst-after-close', 'abort', 'half-close', 'graceful', 'stuck', 'open'];

export type TeardownDetail =
  | 'data-after-close' | 'other'
  | 'peer-had-closed' | 'established' | 'handshake'
  | 'four-way' | 'three-way' | 'simultaneous'
  | 'close-wait' | 'fin-wait-1';

export type Who = Side | 'both' | null;

/** The verdicts docs/contract.md ("Classes") allows: class/detail ('-' where a class has no detail), checked against the types. */
export const VERDICT_KEYS = [
  'refused/-', 'unanswered/-', 'rst-after-close/data-after-close', 'rst-after-close/other',
  'abort/established', 'abort/peer-had-closed', 'abort/handshake', 'half-close/-',
  'graceful/three-way', 'graceful/four-way', 'graceful/simultaneous',
  'stuck/close-wait', 'stuck/fin-wait-1', 'open/-',
] as const satisfies ReadonlyArray<`${TeardownClass}/${TeardownDetail | '-'}`>;
export type VerdictKey = (typeof VERDICT_KEYS)[number];

/** Each verdict key's index in VERDICT_KEYS, by class and then detail ('-' for none). */
const KEY_NOS = new Map<string, Map<string, number>>();
for (const [no, key] of VERDICT_KEYS.entries()) {
  const [cls = '', detail = ''] = key.split('/');
  const byDetail = KEY_NOS.get(cls) ?? new Map<string, number>();
  byDetail.set(detail, no);
  KEY_NOS.set(cls, byDetail);
}

/** The index of a verdict's key in VERDICT_KEYS, found without building the key's string (classify keeps it as Verdict.keyNo). */
export function verdictKeyNo(cls: TeardownClass, detail: TeardownDetail | null): number {
  const no = KEY_NOS.get(cls)?.get(detail ?? '-');
  if (no === undefined) throw new Error(`no verdict key ${cls}/${detail ?? '-'}`);
  return no;
}

const WHO: readonly Who[] = ['client', 'server', 'both', null];

/** The names a verdict shows: its key (Verdict.keyNo), its closer and who reset. */
export interface VerdictNames {
  readonly keyNo: number;
  readonly closer: Who;
  readonly resetBy: Who;
}

/** A number for the verdict's names (class, detail, closer, reset by): what renderers cache their encoded names by. */
export const verdictNamesNo = (v: VerdictNames): number => v.keyNo * 16 + WHO.indexOf(v.closer) * 4 + WHO.indexOf(v.resetBy);

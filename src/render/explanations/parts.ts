/**
 * What an explanation is written in: literal words, typed slots for the facts (analysis/explain-facts.ts)
 * and the few conditions a text branches on, the way arethetypeswrong writes each problem message
 * once for its text and HTML formatters. A text is written with the tag `t`, which keeps the parts
 * instead of joining them; `resolve` settles the conditions for one closing side and lastAckSeen and
 * leaves a Template, literals and the fact slots between them, which the sinks (string.ts, bytes.ts) fill.
 */
import type { ExplainFacts } from '../../analysis/explain-facts.js';
import type { Side } from '../../tcp/states.js';

/**
 * A fact's place in a text, and how it reads there: a packet number `#12` (`#?` when unknown), a
 * list of them `#1, #2`, a count `42`, a duration `0.636 s`. Each names a field of ExplainFacts.
 */
export type FactSlot =
  | { readonly kind: 'fact'; readonly wording: 'packet'; readonly fact: PacketFact }
  | { readonly kind: 'fact'; readonly wording: 'packets'; readonly fact: 'data' }
  | { readonly kind: 'fact'; readonly wording: 'count'; readonly fact: CountFact }
  | { readonly kind: 'fact'; readonly wording: 'seconds'; readonly fact: 'stuckFor' };

type PacketFact = 'fin' | 'finAck' | 'peerFin' | 'peerFinAck' | 'rst';
type CountFact = 'port' | 'bytes';

/**
 * The packet number a slot names, read with a switch: `f[slot.fact]`, a property named by a
 * variable, made the byte sink about 20 % slower per explanation (measured: 196 against 160 ns).
 */
export function packetOf(f: ExplainFacts, fact: PacketFact): number | undefined {
  switch (fact) {
    case 'fin': return f.fin;
    case 'finAck': return f.finAck;
    case 'peerFin': return f.peerFin;
    case 'peerFinAck': return f.peerFinAck;
    case 'rst': return f.rst;
  }
}

/** The count a slot names (see packetOf). */
export const countOf = (f: ExplainFacts, fact: CountFact): number => (fact === 'port' ? f.port : f.bytes);

/** The name of the closing side, or of the other one, in the text's language. */
export interface SideSlot {
  readonly kind: 'side';
  readonly side: 'closer' | 'other';
}

/** Words that depend on whether the last ACK of the close was captured. */
export interface IfLastAck {
  readonly kind: 'ifLastAck';
  readonly seen: Parts;
  readonly missed: Parts;
}

export type Part = string | FactSlot | SideSlot | IfLastAck;
export type Parts = readonly Part[];

const packet = (fact: PacketFact): FactSlot => ({ kind: 'fact', wording: 'packet', fact });
const count = (fact: CountFact): FactSlot => ({ kind: 'fact', wording: 'count', fact });
const side = (which: 'closer' | 'other'): SideSlot => ({ kind: 'side', side: which });

/** The slots a text writes as `${f.fin}`: each fact, and the two sides' names. */
export const f = {
  closer: side('closer'), other: side('other'),
  fin: packet('fin'), finAck: packet('finAck'), peerFin: packet('peerFin'), peerFinAck: packet('peerFinAck'), rst: packet('rst'),
  data: { kind: 'fact', wording: 'packets', fact: 'data' } satisfies FactSlot, port: count('port'), bytes: count('bytes'),
  stuckFor: { kind: 'fact', wording: 'seconds', fact: 'stuckFor' } satisfies FactSlot,
} as const;

/** A part, or parts, as parts. */
const partsOf = (p: Part | Parts): Parts => (typeof p === 'object' && 'length' in p ? p : [p]);

/** A text as parts: `t\`The ${f.closer} called close() (FIN ${f.fin}); …\``. */
export function t(literals: TemplateStringsArray, ...slots: Array<Part | Parts>): Parts {
  const parts: Part[] = [];
  for (const [i, literal] of literals.entries()) {
    if (i > 0) parts.push(...partsOf(slots[i - 1] as Part | Parts));
    parts.push(literal);
  }
  return parts;
}

/** `seen` when the last ACK was captured, `missed` when not. */
export const ifLastAck = (seen: Part | Parts, missed: Part | Parts): IfLastAck => ({ kind: 'ifLastAck', seen: partsOf(seen), missed: partsOf(missed) });

/** A text with its conditions settled: literals.length === slots.length + 1, facts between them. */
export interface Template {
  readonly literals: readonly string[];
  readonly slots: readonly FactSlot[];
}

/** The conditions a text branches on, and the sides' names in its language. */
export interface Conditions {
  closer: Side;
  lastAckSeen: boolean;
  sideNames: Readonly<Record<Side, string>>;
}

/** The text's parts with sides named and branches taken, literals that meet joined. */
export function resolve(parts: Parts, when: Conditions): Template {
  const literals: string[] = [''];
  const slots: FactSlot[] = [];
  const other: Side = when.closer === 'client' ? 'server' : 'client';
  const walk = (ps: Parts): void => {
    for (const p of ps) {
      if (typeof p === 'string') literals[literals.length - 1] += p;
      else if (p.kind === 'side') literals[literals.length - 1] += when.sideNames[p.side === 'closer' ? when.closer : other];
      else if (p.kind === 'ifLastAck') walk(when.lastAckSeen ? p.seen : p.missed);
      else {
        slots.push(p);
        literals.push('');
      }
    }
  };
  walk(parts);
  return { literals, slots };
}

import type { FlowReport } from './report.js';

/**
 * Expectation files (docs/contract.md, "Expectation files"): `x.pcap` beside `x.expect.json`, listing the connections in order
 * with only the fields to compare: `{ "flows": [ { "class": "half-close", "trailingBytes": 3 } ] }`.
 * A field is looked up in the verdict (`teardown`) first, then in the connection itself
 * (`handshake`, `history`, `client`, ...), so a person can pin down whatever they care about.
 */
export interface Expectation {
  flows: Array<Record<string, unknown>>;
}

/** The fields `--update` writes: the verdict a person reads first (and `causes`, as their ids, when there are any). */
export const UPDATED_FIELDS = ['class', 'detail', 'closer', 'trailingBytes'] as const;

export interface Mismatch {
  /** Connection number from 1 (0 for the count of connections). */
  flow: number;
  field: string;
  expected: unknown;
  got: unknown;
}

/** Expectation files are read only up to this size: one linked to /dev/zero or a huge file is refused, not read. */
export const MAX_EXPECTATION_BYTES = 16 * 1024 * 1024;

/**
 * Arrays and objects nested deeper than this are refused before parsing: the comparison and the
 * report walk values recursively, and 200,000 nested brackets overflowed the stack.
 */
export const MAX_EXPECTATION_DEPTH = 64;

/** Whether the JSON text nests arrays and objects deeper than `max` (strings skipped). */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote too
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Parses and checks the shape of an expectation file's text; throws a one-line Error if it is not one. */
export function parseExpectation(text: string): Expectation {
  if (nestsDeeper(text, MAX_EXPECTATION_DEPTH)) throw new Error(`nested deeper than ${MAX_EXPECTATION_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON: ${(e as Error).message}`);
  }
  const flows = (value as { flows?: unknown } | null)?.flows;
  if (!Array.isArray(flows) || !flows.every((f) => typeof f === 'object' && f !== null && !Array.isArray(f))) {
    throw new Error('expected an object { "flows": [ { ... }, ... ] }');
  }
  shareAlike(flows as Array<Record<string, unknown>>);
  return value as Expectation;
}

/**
 * Entries alike (the same fields, values and order) made one object: an expectation of many
 * connections repeats a few entries (`{}`, `{ "class": "graceful", "closer": "client" }`), and
 * each parsed entry is an object on the heap for the whole run (`check` on an 8 M-packet capture:
 * 838,585 entries, 60 MB of them). Nothing changes an entry once parsed.
 */
function shareAlike(flows: Array<Record<string, unknown>>): void {
  const alike = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < flows.length; i++) {
    const entry = flows[i] as Record<string, unknown>;
    const key = JSON.stringify(entry);
    const first = alike.get(key);
    if (first === undefined) alike.set(key, entry);
    else flows[i] = first;
  }
}

function fieldOf(f: FlowReport, field: string): unknown {
  // `causes` is compared as the list of ids, most telling first.
  if (field === 'causes') return f.teardown.causes.map((c) => c.id);
  // Own fields only: `constructor` or `toString` in an expectation names no field of ours.
  const t = f.teardown as unknown as Record<string, unknown>;
  if (Object.hasOwn(t, field)) return t[field];
  return Object.hasOwn(f, field) ? (f as unknown as Record<string, unknown>)[field] : undefined;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every difference between an expectation and the connections analysed, in order. */
export function compareExpectation(exp: Expectation, flows: FlowReport[]): Mismatch[] {
  const out: Mismatch[] = [];
  if (exp.flows.length !== flows.length) out.push({ flow: 0, field: 'connections', expected: exp.flows.length, got: flows.length });
  exp.flows.forEach((want, i) => {
    const f = flows[i];
    if (f) out.push(...compareFlow(want, f, i + 1));
  });
  return out;
}

/** The differences between what is expected of connection number `flow` and the connection analysed. */
export function compareFlow(want: Record<string, unknown>, f: FlowReport, flow: number): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [field, expected] of Object.entries(want)) {
    const got = fieldOf(f, field) ?? null;
    if (!same(expected, got)) out.push({ flow, field, expected, got });
  }
  return out;
}

/**
 * `--update`: today's verdicts into the expectation, keeping every other field a person added
 * to a connection that is still there.
 */
export function updateExpectation(old: Expectation | undefined, flows: FlowReport[]): Expectation {
  return { ...(old ?? {}), flows: flows.map((f, i) => updatedEntry(old?.flows[i], f)) };
}

/** A connection's entry as `--update` writes it, from the one it had (`old`). */
export function updatedEntry(old: Record<string, unknown> | undefined, f: FlowReport): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...(old ?? {}) };
  for (const k of UPDATED_FIELDS) {
    const v = f.teardown[k];
    if ((k === 'detail' && v === null) || (k === 'trailingBytes' && v === 0)) delete entry[k];
    else entry[k] = v;
  }
  const causes = f.teardown.causes.map((c) => c.id);
  if (causes.length > 0) entry['causes'] = causes;
  else delete entry['causes'];
  return entry;
}

/**
 * The text of an updated expectation file, `JSON.stringify(updateExpectation(...), null, 2)` and a
 * newline, in pieces: what comes before the first connection's entry and after the last, around the
 * entries written one at a time by `flowEntryText` (a capture of a million connections need not
 * hold them all).
 */
export function expectationAround(old: Expectation | undefined, entries: number): { before: string; after: string } {
  // A string no expectation holds marks where the entries go (old's key order kept: `flows` stays where it was).
  let mark = 'teardown-entries';
  while (JSON.stringify(old ?? {}).includes(mark)) mark += '-';
  const [before = '', after = ''] = JSON.stringify({ ...(old ?? {}), flows: mark }, null, 2).split(JSON.stringify(mark));
  return { before: before + '[', after: (entries === 0 ? ']' : '\n  ]') + after + '\n' };
}

/** An entry of the updated file (expectationAround), `first` of them or after another. */
export function flowEntryText(entry: Record<string, unknown>, first: boolean): string {
  return (first ? '\n    ' : ',\n    ') + JSON.stringify(entry, null, 2).replaceAll('\n', '\n    ');
}

/**
 * The ndjson of `analyze --shard K/N` and how `teardown merge` joins such outputs into a whole
 * run's (docs/distributed.md). A whole run writes each connection as it is released: at the sweep
 * after some packet, at a port reuse before one, or at the end, and connections released together
 * in id order, which is the order of their first packets. A shard sees every packet's time and
 * sweeps when a whole run does (analysis/analyze.ts), so its connections are released at the same
 * points; each of its flow lines ends with that point, `"release":[PACKET,WHY]`, and the merge
 * orders the shards' lines by (point, first packet), renumbers the ids by first packet and drops
 * the point. What is known only for the whole capture (the summary, the TCP packets) is added up.
 */
import type { CaptureSummary, Report } from '../analysis/report.js';
import { RELEASED_AT_END } from '../analysis/analyze.js';
import { Tally } from '../analysis/tally.js';
import type { ByteLines } from './byte-lines.js';
import type { UnplacedJson } from './unplaced.js';
import { UNPLACED_KEPT } from '../analysis/unplaced.js';

const RELEASE = ',"release":[';
const FIRST_PACKET = '"firstPacket":';
const ID = '{"id":';

/** Ends a flow's line, just written with its `}` and newline, with where its connection was released. */
export function writeReleasePoint(out: ByteLines, at: number, by: number): void {
  out.setLength(out.length - 2);
  out.ascii(RELEASE);
  out.number(at);
  out.byte(0x2c);
  out.number(by);
  out.ascii(']}\n');
}

/** The place of a flow line in a whole run's output: released at `at` for reason `by`, first packet `first`. */
export interface LinePlace {
  at: number;
  by: number;
  first: number;
}

/** The integer written after `key` in `line` (from `from`), or NaN. */
function integerAfter(line: string, key: string, from = 0): number {
  const at = line.indexOf(key, from);
  if (at < 0) return NaN;
  let n = 0;
  let i = at + key.length;
  for (let c = line.charCodeAt(i); c >= 48 && c <= 57; c = line.charCodeAt(++i)) n = n * 10 + c - 48;
  return i === at + key.length ? NaN : n;
}

/** A flow line's first packet (every flow line has one; NaN for any other line). */
export function firstPacketOf(line: string): number {
  return integerAfter(line, FIRST_PACKET);
}

/** Where a shard's flow line says its connection was released; undefined when it does not say. */
export function placeOf(line: string): LinePlace | undefined {
  const at = line.lastIndexOf(RELEASE);
  if (at < 0) return undefined;
  const comma = line.indexOf(',', at + RELEASE.length);
  return { at: integerAfter(line, RELEASE, at), by: integerAfter(line, ',', comma), first: firstPacketOf(line) };
}

/** Whether flow line `a` comes before `b` in a whole run's output. */
export function releasedBefore(a: LinePlace, b: LinePlace): boolean {
  const aEnd = a.by === RELEASED_AT_END;
  const bEnd = b.by === RELEASED_AT_END;
  if (aEnd !== bEnd) return bEnd;
  if (!aEnd && a.at !== b.at) return a.at < b.at;
  if (a.by !== b.by) return a.by < b.by;
  return a.first < b.first;
}

/** The flow line as a whole run writes it: id `id` and no release point. */
export function wholeRunLine(line: string, id: number): string {
  const idEnd = line.indexOf(',', ID.length);
  const release = line.lastIndexOf(RELEASE);
  const body = release < 0 ? line.slice(idEnd) : `${line.slice(idEnd, release)}}`;
  return `${ID}${id}${body}`;
}

/** The summary line of an ndjson output, as analyze writes it last. */
export interface SummaryLine {
  capture: CaptureSummary;
  summary: Report['summary'];
  errors: Report['errors'];
  /** TCP packets in no connection, with packet rows (render/unplaced.ts): each shard lists those whose 4-tuple is its own. */
  unplaced?: UnplacedJson[];
  unplacedMore?: number;
}

/**
 * The outputs' packets in no connection as one list: in the order given (a capture's shards, by
 * packet number), at most UNPLACED_KEPT, the rest counted; nothing when none has any.
 */
function joinUnplaced(lines: readonly SummaryLine[], byNumber: boolean): Pick<SummaryLine, 'unplaced' | 'unplacedMore'> {
  const all = lines.flatMap((l) => l.unplaced ?? []);
  let more = lines.reduce((n, l) => n + (l.unplacedMore ?? 0), 0);
  if (all.length === 0) return {};
  if (byNumber) all.sort((a, b) => a.no - b.no);
  more += Math.max(0, all.length - UNPLACED_KEPT);
  const unplaced = all.slice(0, UNPLACED_KEPT);
  return more > 0 ? { unplaced, unplacedMore: more } : { unplaced };
}

/** What makes two outputs the same capture's: their capture line without what a shard changes. */
export function captureIdentity(c: CaptureSummary): string {
  const { tcpPackets: _packets, shard: _shard, rowsKept: _rows, ...rest } = c;
  return JSON.stringify(rest);
}

/** The shard an output holds, as [K, N] (a whole run: [1, 1]). */
export function shardNumbers(c: CaptureSummary): [k: number, n: number] {
  const m = /^(\d+)\/(\d+)$/.exec(c.shard ?? '1/1');
  return [Number(m?.[1]), Number(m?.[2])];
}

/**
 * One capture's shards joined (teardown merge's, and --jobs' workers'): its capture line as a
 * whole run writes it (the TCP packets and the rows kept added up, no shard), the summaries added
 * up, the errors once.
 */
export function joinShards(lines: readonly SummaryLine[]): SummaryLine {
  const [first] = lines;
  if (first === undefined) throw new Error('no output to join');
  const capture: CaptureSummary = { ...first.capture };
  capture.tcpPackets = lines.reduce((n, l) => n + l.capture.tcpPackets, 0);
  const kept = lines.filter((l) => l.capture.rowsKept !== undefined);
  if (kept.length > 0) capture.rowsKept = kept.reduce((n, l) => n + (l.capture.rowsKept ?? 0), 0);
  delete capture.shard;
  const tally = new Tally();
  for (const l of lines) tally.addSummary(l.summary);
  return { capture, summary: tally.summary(), errors: first.errors, ...joinUnplaced(lines, true) };
}

const add = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0));

/**
 * Several captures' lines as one: the first one's file, every file in `files`, the counts added up,
 * the earliest first and latest last time, every link type and error.
 */
function joinCaptures(lines: readonly SummaryLine[]): SummaryLine {
  const [first, ...rest] = lines;
  if (first === undefined) throw new Error('no output to join');
  if (rest.length === 0) return first;
  const unplaced = joinUnplaced(lines, false);
  const capture: CaptureSummary = { ...first.capture, skipped: { ...first.capture.skipped } };
  const files: string[] = [...(first.capture.files ?? [first.capture.file])];
  const tally = new Tally();
  tally.addSummary(first.summary);
  const errors = [...first.errors];
  for (const { capture: c, summary, errors: more } of rest) {
    if (capture.format !== c.format) capture.format = null;
    for (const t of c.linkTypes) if (!capture.linkTypes.includes(t)) capture.linkTypes = [...capture.linkTypes, t];
    capture.packets += c.packets;
    capture.tcpPackets += c.tcpPackets;
    for (const [reason, n] of Object.entries(c.skipped)) capture.skipped[reason] = (capture.skipped[reason] ?? 0) + n;
    if (c.firstTime !== null && (capture.firstTime === null || c.firstTime < capture.firstTime)) capture.firstTime = c.firstTime;
    if (c.lastTime !== null && (capture.lastTime === null || c.lastTime > capture.lastTime)) capture.lastTime = c.lastTime;
    for (const key of ['dropped', 'rowsKept', 'reassembled', 'fragmentsDropped'] as const) {
      const sum = add(capture[key], c[key]);
      if (sum !== undefined) capture[key] = sum;
    }
    files.push(...(c.files ?? [c.file]));
    tally.addSummary(summary);
    errors.push(...more);
  }
  capture.files = files;
  return { capture, summary: tally.summary(), errors, ...unplaced };
}

/** Why outputs cannot be merged: the values the command's message about it is worded from. */
export type ShardProblem =
  | { problem: 'mergeOtherCut'; name: string; shard: string; head: string; n: number }
  | { problem: 'mergeTwice'; first: string; second: string; shard: string; file: string }
  | { problem: 'mergeMissing'; shards: string; file: string };

/**
 * The outputs given, grouped by capture (in the order each capture is first named), and checked:
 * within a capture, every shard of one N exactly once. Returns the groups as indexes into `lines`,
 * or the problem.
 */
export function groupShards(lines: readonly SummaryLine[], names: readonly string[]): number[][] | ShardProblem {
  const groups = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const key = captureIdentity(l.capture);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  });
  for (const group of groups.values()) {
    const [head] = group;
    const n = shardNumbers((lines[head as number] as SummaryLine).capture)[1];
    const seen = new Map<number, number>();
    for (const i of group) {
      const [k, of] = shardNumbers((lines[i] as SummaryLine).capture);
      const other = seen.get(k);
      if (of !== n) return { problem: 'mergeOtherCut', name: names[i] as string, shard: `${k}/${of}`, head: names[head as number] as string, n };
      if (other !== undefined) return { problem: 'mergeTwice', first: names[other] as string, second: names[i] as string, shard: `${k}/${n}`, file: String((lines[i] as SummaryLine).capture.file) };
      seen.set(k, i);
    }
    if (seen.size !== n) {
      const missing = Array.from({ length: n }, (_, k) => k + 1).filter((k) => !seen.has(k));
      return { problem: 'mergeMissing', shards: missing.map((k) => `${k}/${n}`).join(', '), file: String((lines[head as number] as SummaryLine).capture.file) };
    }
  }
  return [...groups.values()];
}

/** The summary line of the merged output: each capture's shards joined, then the captures. */
export function mergedSummary(lines: readonly SummaryLine[], groups: readonly number[][]): SummaryLine {
  return joinCaptures(groups.map((g) => joinShards(g.map((i) => lines[i] as SummaryLine))));
}

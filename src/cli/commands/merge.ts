import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CliError, EXIT } from '../exit.js';
import { message } from '../messages.js';
import type { ExitCode } from '../exit.js';
import { systemReason } from '../exit.js';
import { BatchedOutput } from '../output.js';
import type { LinePlace, SummaryLine } from '../../render/shard-lines.js';
import { firstPacketOf, groupShards, mergedSummary, placeOf, releasedBefore, wholeRunLine } from '../../render/shard-lines.js';

const CHUNK = 1 << 20;
const SUMMARY = '{"capture":';

/** An ndjson file's lines, read a chunk at a time (one line may span chunks: a flow with its packet rows). */
class LineReader {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private readonly decoder = new StringDecoder('utf8');
  private lines: string[] = [];
  private at = 0;
  private rest = '';
  private done = false;

  constructor(readonly name: string) {
    try {
      this.fd = openSync(name, 'r');
    } catch (err) {
      throw new CliError(message('cannotRead', { path: name, reason: systemReason(err) }), EXIT.usage);
    }
  }

  /** The next line (without its newline), or undefined at the end (the file is then closed). */
  next(): string | undefined {
    while (this.at >= this.lines.length) {
      if (this.done) return undefined;
      const n = readSync(this.fd, this.buf, 0, CHUNK, null);
      if (n === 0) {
        this.done = true;
        closeSync(this.fd);
        const last = this.rest + this.decoder.end();
        this.lines = last === '' ? [] : [last];
      } else {
        const parts = (this.rest + this.decoder.write(this.buf.subarray(0, n))).split('\n');
        this.rest = parts.pop() ?? '';
        this.lines = parts;
      }
      this.at = 0;
    }
    return this.lines[this.at++];
  }
}

/** One output read once: its flows' first packets (in the order written) and its summary line. */
function survey(name: string): { firsts: number[]; summary: SummaryLine } {
  const reader = new LineReader(name);
  const firsts: number[] = [];
  let summary: SummaryLine | undefined;
  for (let line = reader.next(); line !== undefined; line = reader.next()) {
    if (line === '') continue;
    const first = firstPacketOf(line);
    if (line.startsWith(SUMMARY)) summary = JSON.parse(line) as SummaryLine;
    else if (summary === undefined && !Number.isNaN(first)) firsts.push(first);
    else throw new CliError(message('mergeNotNdjson', { name }), EXIT.usage);
  }
  if (summary === undefined) throw new CliError(message('mergeNoSummary', { name }), EXIT.usage);
  return { firsts, summary };
}

/** The number of values in sorted `a` below `x`. */
function below(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A shard's output in the merge: its next flow line and where it was released. */
interface Head {
  reader: LineReader;
  line: string | undefined;
  place: LinePlace | undefined;
}

function advance(h: Head): void {
  const line = h.reader.next();
  h.line = line === undefined || line === '' || line.startsWith(SUMMARY) ? undefined : line;
  h.place = h.line === undefined ? undefined : placeOf(h.line);
}

/**
 * `teardown merge FILE...` (docs/distributed.md): the ndjson outputs of `analyze --shard K/N`
 * (every shard of a capture), or of several captures, as one output. A capture's shards become
 * the output one run gives; several captures follow each other in the order first named, their
 * ids counted on, their summary lines added up. Reads each file twice: first the first packets
 * (the ids follow them) and the summary, then the lines, merged; memory: 8 bytes a connection.
 */
export function runMerge(files: readonly string[], out: NodeJS.WritableStream): ExitCode {
  const surveys = files.map(survey);
  const summaries = surveys.map((s) => s.summary);
  const groups = groupShards(summaries, files);
  if (!Array.isArray(groups)) {
    const g = groups;
    const words = g.problem === 'mergeOtherCut' ? message('mergeOtherCut', { name: g.name, shard: g.shard, head: g.head, n: g.n })
      : g.problem === 'mergeTwice' ? message('mergeTwice', { first: g.first, second: g.second, shard: g.shard, file: g.file })
        : message('mergeMissing', { shards: g.shards, file: g.file });
    throw new CliError(words, EXIT.usage);
  }
  const batched = new BatchedOutput(out);
  let offset = 0;
  for (const group of groups) {
    const firsts = Float64Array.from(group.flatMap((i) => surveys[i]?.firsts ?? []));
    firsts.sort();
    const heads: Head[] = group.map((i) => ({ reader: new LineReader(files[i] as string), line: undefined, place: undefined }));
    for (const h of heads) advance(h);
    for (;;) {
      // A few shards: the earliest head by a scan.
      let next: Head | undefined;
      for (const h of heads) {
        if (h.line === undefined) continue;
        if (next === undefined || (h.place !== undefined && next.place !== undefined && releasedBefore(h.place, next.place))) next = h;
      }
      if (next === undefined || next.line === undefined) break;
      batched.write(wholeRunLine(next.line, offset + below(firsts, firstPacketOf(next.line)) + 1));
      batched.write('\n');
      advance(next);
    }
    offset += firsts.length;
  }
  const merged = mergedSummary(summaries, groups);
  batched.write(JSON.stringify(merged) + '\n');
  batched.flush();
  return merged.errors.length > 0 ? EXIT.damaged : EXIT.ok;
}

/**
 * One job of `analyze --jobs N`, in a worker thread (docs/design.md, "Jobs"): the one Analyzer over
 * every record of the shared batches, placing and tracking only the segments of its shard
 * (flow/shard.ts), and each connection it releases written by the format's own writer, as one
 * analyzer writes it, but with the shard's local id. The reading thread (jobs.ts) gives the ids
 * and the order back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Analyzer } from '../analysis/analyze.js';
import { Tally } from '../analysis/tally.js';
import type { Verdict } from '../analysis/teardown.js';
import { BatchReader } from '../capture/shared-records.js';
import type { CaptureRecord } from '../capture/record.js';
import type { ConnectionView } from '../flow/view.js';
import { ByteLines } from '../render/byte-lines.js';
import { CsvTable } from '../render/csv.js';
import { writeFlowJson } from '../render/json-columns.js';
import { ZeekLog } from '../render/zeek.js';
import type { JobBatch, JobEnd, JobResult, JobSetup } from './jobs.js';
import { selected } from './view.js';
import { ResultBuffers } from './result-buffers.js';
import { NumberList } from './number-list.js';

const setup = workerData as JobSetup;
const o = setup.options;
/** The selection but --flow (which runs on one thread: jobs.ts). */
const picks = { flow: undefined, port: o.port, host: o.host, class: o.class };
const port = parentPort;
if (port === null) throw new Error('jobs-worker.ts runs in a worker thread');

const out = new ByteLines();
const items = new NumberList();
const opened = new NumberList();
/** The end's number once it came (-1 before). */
let endSeq = -1;
/** Output handed over in parts of about this size at the end. */
const PART_BYTES = 1024 * 1024;
const shown = new Tally();
// The header is the reading thread's to write: these writers are told it is written.
const zeek = o.format === 'zeek' || o.format === 'zeek-json' ? new ZeekLog(o.format === 'zeek-json') : undefined;
zeek?.head(new ByteLines(), undefined);
const csv = o.format === 'csv' ? new CsvTable() : undefined;
csv?.head(new ByteLines());

/** Where the id's digits start in the output `out` holds from `start` on: each format writes it first, or second in zeek. */
function idAt(start: number): number {
  if (zeek === undefined) return csv === undefined ? start + 6 : start; // `{"id":` or the first cell
  const written = out.written(start);
  // TSV: `ts<TAB>C<id>`; JSON: `{"ts":<number>,"uid":"C<id>"`.
  const mark = written.indexOf(o.format === 'zeek' ? 0x09 : 0x2c);
  return start + mark + (o.format === 'zeek' ? 2 : 9);
}

const onFlow = (c: ConnectionView, v: Verdict): void => {
  if (!selected(c, v.class, picks)) return;
  shown.add(v);
  const start = out.length;
  const first = analyzer.firstTime;
  if (zeek !== undefined) zeek.add(out, c, v, first);
  else if (csv !== undefined) csv.add(out, c, v, o.lang, first, analyzer.digits);
  else writeFlowJson(out, c, v, o.lang, first, o.format === 'json' ? undefined : analyzer.digits);
  items.push(analyzer.releasedAt);
  items.push(analyzer.releasedBy);
  items.push(c.id);
  items.push(start);
  items.push(out.length);
  items.push(idAt(start));
  // At the end every connection left is released at once: its output goes in parts, as one analyzer's goes out.
  if (endSeq >= 0 && out.length >= PART_BYTES) answer(endSeq, true);
};

const analyzer = new Analyzer(setup.name, {
  packets: false, keepFlows: false, onFlow, tunnels: o.tunnels, ...(o.vxlanPorts ? { vxlanPorts: o.vxlanPorts } : {}),
  shard: { index: setup.shard, of: setup.shards },
  onOpen: (c) => {
    opened.push(c.firstPacket);
  },
});
if (setup.reserve > 0) analyzer.reserve(setup.reserve);

const readers = setup.batches.map((b) => new BatchReader(b));
const onRecord = (r: CaptureRecord, lane: number): void => analyzer.onRecord(r, lane === setup.shard);
// Another shard's plain TCP packet (its lane, jobs.ts) is not decoded here: only counted, and its time moves the clock.
const onOther = (no: number, sec: number, nsec: number): void => analyzer.onOtherShard(no, sec, nsec);

const buffers = new ResultBuffers(setup.handBack);

/** What the batch (or the end) gave, handed over: its buffers are moved, not copied, and come back once merged. */
function answer(seq: number, more: boolean, end?: JobResult['end']): void {
  buffers.ready();
  const bytes = new Uint8Array(buffers.take(out.length), 0, out.length);
  bytes.set(out.written());
  out.setLength(0);
  const openedNos = new Float64Array(buffers.take(opened.length * 8), 0, opened.length);
  openedNos.set(opened.view());
  const itemFields = new Float64Array(buffers.take(items.length * 8), 0, items.length);
  itemFields.set(items.view());
  const r: JobResult = { seq, more, opened: openedNos, items: itemFields, bytes, first: analyzer.firstTime, ...(end ? { end } : {}) };
  opened.clear();
  items.clear();
  (port as NonNullable<typeof port>).postMessage(r, [bytes.buffer, openedNos.buffer, itemFields.buffer]);
  buffers.sent();
}

port.on('message', (m: JobBatch | JobEnd) => {
  if ('info' in m) {
    endSeq = m.seq;
    const report = analyzer.finish(m.info, m.damage);
    answer(m.seq, false, { capture: report.capture, summary: report.summary, errors: report.errors, shown: shown.summary(), last: analyzer.lastTime });
    return;
  }
  (readers[m.slot] as BatchReader).each(m.count, m.firstNo, setup.shard, onRecord, onOther);
  answer(m.seq, false);
});

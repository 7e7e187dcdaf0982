import type { CaptureDamage, CaptureInfo, CaptureRecord } from '../capture/record.js';
import { SegmentDecoder } from '../decode/decoder.js';
import type { SkipReason, TcpSegment } from '../decode/segment.js';
import type { Endpoint, Instant, PacketRow } from '../flow/connection.js';
import type { NoteRef } from '../flow/notes.js';
import { secondsBetween } from '../flow/connection.js';
import { trackBases } from '../flow/reuse.js';
import { shardOf } from '../flow/shard.js';
import { ConnectionTable } from '../flow/table.js';
import type { ConnectionView } from '../flow/view.js';
import { CLIENT, SERVER } from '../flow/view.js';
import { explainFacts, stuckUnsure } from './explain-facts.js';
import { Expiry } from './expiry.js';
import type { CaptureSummary, FlowReport, Report } from './report.js';
import { classify, newVerdict } from './teardown.js';
import type { Verdict } from './teardown.js';
import { Tally } from './tally.js';
import { trackSegment } from './track.js';
import type { UnplacedList } from './unplaced.js';
import { UNPLACED_KEPT, unplacedPacket } from './unplaced.js';

export interface AnalyzeOptions {
  /** Keep packet rows for the table and JSON (false: --no-packets). */
  packets: boolean;
  /**
   * With `packets`, which connections keep their rows (default: all), decided when a connection
   * opens (`--flow`, `--port`). The others skip the Info column and the rows entirely.
   */
  rowsFor?: (c: ConnectionView) => boolean;
  /**
   * Called with each connection as it is finished and released, and its verdict: both borrowed,
   * valid during the call only (the view is moved to the next connection and the verdict object
   * reused). The streamed reports write from them; nothing else is built for the connection.
   */
  onFlow?: (c: ConnectionView, verdict: Verdict) => void;
  /** Keep every finished connection's FlowReport for the report (default true; false: streamed reports). */
  keepFlows?: boolean;
  /**
   * Given each finished connection's FlowReport as it is released, instead of keeping it (the
   * report page, which packs what it needs and lets the report go: docs/report.md).
   */
  onReport?: (f: FlowReport) => void;
  /** Called with each packet's row as it is analysed (live capture streams them). */
  onRow?: (conn: ConnectionView, row: PacketRow) => void;
  /**
   * Called with each TCP packet's notes as it is analysed, whether or not its connection makes rows:
   * `conn` shows both states after it (`conn.client.state`: the row's Client and Server), `notes`
   * its row's notes (borrowed: the array is emptied for the next packet). A row's own facts without
   * Wireshark's view of the packet (the Info column's), which costs a row most of its time and
   * memory: annotate comments every packet with them.
   */
  onNotes?: (conn: ConnectionView, no: number, notes: readonly NoteRef[]) => void;
  /**
   * Called once when a connection is over on the wire (a RST, or both FINs acknowledged), with its
   * verdict at that moment: live prints it then. Borrowed, as for onFlow.
   */
  onEnded?: (c: ConnectionView, verdict: Verdict) => void;
  /**
   * At most this many packet rows are kept in all (default: no limit). Once reached, no connection
   * keeps another row, new or open; the verdicts still see every packet, and the report's
   * `capture.rowsKept` says rows were left out (docs/contract.md, "Packet rows").
   */
  rowBudget?: number;
  /** Open tunnels (default true; false: `--no-tunnels`, docs/contract.md, "Tunnels"). */
  tunnels?: boolean;
  /** UDP ports read as VXLAN besides 4789 (`--vxlan-port`). */
  vxlanPorts?: readonly number[];
  /**
   * `--shard K/N`, and each `--jobs` worker: only the connections in shard `index` (from 0) of `of`
   * (flow/shard.ts) are analysed and counted in `tcpPackets`; the other TCP packets move the capture
   * clock and the sweep, as in a whole run, and nothing else (docs/contract.md, "Shards").
   */
  shard?: { index: number; of: number };
  /** Called with each connection as it opens (borrowed, valid during the call only). */
  onOpen?: (c: ConnectionView) => void;
  /**
   * With `packets`, which TCP packets in no connection are listed (analysis/unplaced.ts; default:
   * all), by their endpoints (`--port`, `--host`; docs/contract.md, "TCP packets in no connection").
   */
  unplacedFor?: (src: Endpoint, dst: Endpoint) => boolean;
}

/** Why the connection being released is released: a port reuse, the sweep, or the end of the capture. */
export const RELEASED_BY_REUSE = 0;
export const RELEASED_BY_SWEEP = 1;
export const RELEASED_AT_END = 2;

/**
 * The wiring of the pipeline: records → segments → connections → states → verdicts.
 * Feed it records in capture order, then call `finish`. Reads no clock: capture time only.
 */
export class Analyzer {
  private readonly table: ConnectionTable;
  private readonly expiry: Expiry;
  private readonly tally = new Tally();
  private lastSweep = 0;
  /** The end of the capture once known (finish): what stuck verdicts count to. */
  private captureEnd: Instant | undefined;
  private first: Instant | undefined;
  private readonly last: Instant = { sec: 0, nsec: 0 };
  /** The record being read: one decoder and one time, reused from record to record. */
  private readonly decoder: SegmentDecoder;
  private readonly now: Instant = { sec: 0, nsec: 0 };
  private packets = 0;
  private tcpPackets = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly flows: FlowReport[] = [];
  /** TCP packets in no connection, listed with packet rows only (analysis/unplaced.ts). */
  private readonly unplaced: UnplacedList | undefined;
  /** Rows kept so far, against opts.rowBudget; `rowsCut` once a row was left out for it. */
  private rowsKept = 0;
  private readonly rowBudget: number;
  private rowsCut = false;
  /** The notes onNotes is given for a packet whose row is not made, reused from packet to packet. */
  private readonly packetNotes: NoteRef[] = [];
  /** The verdict object onFlow and onEnded are given, reused from connection to connection. */
  private readonly verdict = newVerdict();
  /** 9 once a record shows sub-microsecond time (a nanosecond capture), else 6: the Time column's decimals. */
  digits: 6 | 9 = 6;
  /** The shard analysed (from 0) and the number of shards (1: every connection). */
  private readonly shardIndex: number;
  private readonly shards: number;
  /**
   * With shards, where the connection being released is released: the number of the record being
   * read (the end: the last one), and why (RELEASED_BY_*). A whole run writes connections in this
   * order, then by id, so shards' outputs merge into a whole run's order (render/shard-lines.ts,
   * and the jobs' workers' items, cli/jobs.ts).
   */
  releasedAt = 0;
  releasedBy = RELEASED_BY_REUSE;

  constructor(private readonly file: string, private readonly opts: AnalyzeOptions) {
    const rowsFor = opts.rowsFor ?? (() => true);
    this.rowBudget = opts.rowBudget ?? Infinity;
    this.shardIndex = opts.shard?.index ?? 0;
    this.shards = opts.shard?.of ?? 1;
    this.unplaced = opts.packets ? { packets: [], more: 0 } : undefined;
    this.decoder = new SegmentDecoder({ tunnels: opts.tunnels !== false, ...(opts.vxlanPorts !== undefined ? { vxlanPorts: opts.vxlanPorts } : {}) });
    // A connection that opens once the budget is spent gets no rows, nor the Wireshark view they need.
    const keepRows = (c: ConnectionView): boolean => {
      if (!rowsFor(c)) return false;
      if (this.rowsKept < this.rowBudget) return true;
      this.rowsCut = true;
      return false;
    };
    this.table = new ConnectionTable(
      { keepRows: opts.packets ? keepRows : undefined, streamRows: opts.onRow !== undefined },
      (c) => this.release(c),
      opts.onOpen,
    );
    this.expiry = new Expiry(this.table);
  }

  private release(c: ConnectionView): void {
    const end = this.captureEnd ?? this.last;
    const v = classify(c, end, this.verdict);
    this.tally.add(v);
    this.opts.onFlow?.(c, v);
    if (this.opts.onReport) this.opts.onReport(this.flowReport(c, v));
    else if (this.opts.keepFlows !== false) this.flows.push(this.flowReport(c, v));
  }

  /** The capture clock: the first and the latest record's time. */
  private tick(sec: number, nsec: number): void {
    this.first ??= { sec, nsec };
    this.last.sec = sec;
    this.last.nsec = nsec;
  }

  /** Counts a record and sets `now` to its time. */
  private count(sec: number, nsec: number): Instant {
    this.packets++;
    const time = this.now;
    time.sec = sec;
    time.nsec = nsec;
    if (nsec % 1000 !== 0) this.digits = 9;
    return time;
  }

  /** `ours`: the record is known to be a TCP segment of this shard's (`--jobs`' marks): not hashed again. */
  onRecord(r: CaptureRecord, ours = false): void {
    const time = this.count(r.tsSec, r.tsNsec);
    const skipped = this.decoder.decode(r);
    if (skipped !== undefined) {
      this.tick(r.tsSec, r.tsNsec);
      this.skipped[skipped] = (this.skipped[skipped] ?? 0) + 1;
      if (this.unplaced !== undefined && this.decoder.readRefused(r)) this.addUnplaced(skipped, time);
      return;
    }
    const seg = this.decoder.segment;
    if (this.shards > 1) {
      this.releasedAt = r.no;
      if (!ours && shardOf(seg, this.shards) !== this.shardIndex) {
        this.passBy(time);
        return;
      }
    }
    // onSegment ticks the clock (tests and live feed it segments directly).
    this.onSegment(seg, time);
  }

  /**
   * A TCP packet the decoder refused but whose ports it read (the decoder's segment holds what its
   * header gave). It belongs to the shard its 4-tuple hashes to, as a connection on it would.
   */
  private addUnplaced(reason: SkipReason, time: Instant): void {
    const list = this.unplaced as UnplacedList;
    const seg = this.decoder.segment;
    if (this.shards > 1 && shardOf(seg, this.shards) !== this.shardIndex) return;
    const src = { ip: seg.src, port: seg.srcPort };
    const dst = { ip: seg.dst, port: seg.dstPort };
    if (this.opts.unplacedFor !== undefined && !this.opts.unplacedFor(src, dst)) return;
    if (list.packets.length >= UNPLACED_KEPT) list.more++;
    else list.packets.push(unplacedPacket(seg, this.decoder.refused, time, reason, this.table.find(seg)));
  }

  /**
   * Another shard's TCP packet: it moves the clock and runs the sweep when onSegment would, so
   * that this shard's connections are released when and in the order a whole run releases them
   * (a packet after a release starts a new connection: the release's time decides verdicts).
   */
  private passBy(time: Instant): void {
    this.tick(time.sec, time.nsec);
    if (time.sec - this.lastSweep >= 1) this.sweep(time);
  }

  /**
   * Record `no` (at `sec`, `nsec`) known, without decoding it, to be a TCP segment of a connection
   * another shard tracks (`--jobs`' marks, decode/plain.ts): counted, the clock and the sweeps
   * moved, as onRecord would for it.
   */
  onOtherShard(no: number, sec: number, nsec: number): void {
    this.releasedAt = no;
    this.passBy(this.count(sec, nsec));
  }

  /**
   * One decoded TCP segment, in capture order (records that are not TCP never get here). Neither
   * `seg` nor `time` is kept: callers may reuse them for the next packet.
   */
  onSegment(seg: TcpSegment, time: Instant): void {
    this.tick(time.sec, time.nsec);
    this.tcpPackets++;
    const conn = this.table.place(seg, time);
    const fromClient = conn.fromClient(seg);
    const view = conn.view;
    // Notes are only built for a row that will be kept or shown, or for onNotes.
    const from = fromClient ? CLIENT : SERVER;
    let noteList: NoteRef[] | null = null;
    if (view !== undefined) noteList = [];
    else if (this.opts.onNotes !== undefined) (noteList = this.packetNotes).length = 0;
    const notes = trackSegment(conn, seg, from, time, noteList);
    const baseBits = trackBases(conn.store, conn.slot, seg, from);
    conn.addHistory(seg, fromClient);
    if (view !== undefined) {
      // A connection's first packet on a reused 4-tuple carries Wireshark's reuse flag.
      const shown = view.add(seg, fromClient ? 0 : 1, conn.portReused && conn.firstPacket === seg.no, conn, baseBits);
      // tshark shows a segment it could not measure (TcpSegment.unmeasured) with its raw numbers.
      const raw = seg.unmeasured === true;
      const row: PacketRow = {
        no: seg.no, time: { sec: time.sec, nsec: time.nsec }, fromClient, flags: seg.flags, seq: raw ? seg.seq : shown.relSeq,
        ack: raw ? seg.ack : shown.relAck, len: seg.payloadLen, win: raw ? seg.window : shown.win, client: conn.client.state, server: conn.server.state, notes: notes ?? [],
        wire: {
          srcPort: seg.srcPort, dstPort: seg.dstPort, urgent: seg.urgent, options: seg.options,
          analysis: shown.analysis, dupAckFrame: shown.dupAckFrame, dupAckNum: shown.dupAckNum, sackBase: raw ? 0 : shown.sackBase,
          headerCut: seg.headerCut === true, unmeasured: raw,
        },
      };
      const rows = conn.rows;
      if (rows !== undefined) {
        if (this.rowsKept < this.rowBudget) {
          rows.push(row);
          this.rowsKept++;
        } else this.rowsCut = true;
      }
      this.opts.onRow?.(conn, row);
    }
    this.opts.onNotes?.(conn, seg.no, notes ?? this.packetNotes);
    if (this.opts.onEnded && conn.closed && !conn.markEnded()) {
      this.opts.onEnded(conn, classify(conn, time, this.verdict));
    }
    this.expiry.touch(conn);
    if (time.sec - this.lastSweep >= 1) this.sweep(time);
  }

  /**
   * Releases connections that ended long enough ago, or went idle (memory follows open
   * connections). Once per capture second at most: the seconds of successive sweeps only grow.
   */
  sweep(now: Instant): void {
    this.lastSweep = now.sec;
    this.releasedBy = RELEASED_BY_SWEEP;
    this.expiry.sweep(now);
    this.releasedBy = RELEASED_BY_REUSE;
  }

  /** Room for about this many connections at once, from the start (ConnectionStore.reserve). */
  reserve(connections: number): void {
    this.table.store.reserve(connections);
  }

  /**
   * Each connection not yet released, in no particular order, through one borrowed view
   * (ConnectionTable.eachOpen): live capture looks at all of them every second for stuck closes.
   */
  eachOpenConnection(visit: (c: ConnectionView) => void): void {
    this.table.eachOpen(visit);
  }

  /** End of input: classify what is left and build the report. */
  finish(info: CaptureInfo | undefined, damage: CaptureDamage | undefined): Report {
    let end = this.last;
    if (info?.endTime && secondsBetween(end, info.endTime) > 0) end = info.endTime;
    this.captureEnd = end;
    this.releasedBy = RELEASED_AT_END;
    this.table.finishAll();
    const fragments = this.decoder.fragments;
    fragments.finish();
    this.flows.sort((a, b) => a.id - b.id);
    const capture: CaptureSummary = {
      file: this.file,
      format: info?.format ?? null,
      linkTypes: info?.linkTypes ?? [],
      packets: this.packets,
      tcpPackets: this.tcpPackets,
      skipped: this.skipped,
      firstTime: this.first ? this.first.sec + this.first.nsec / 1e9 : null,
      lastTime: this.first ? this.last.sec + this.last.nsec / 1e9 : null,
      ...(info?.dropped !== undefined ? { dropped: info.dropped } : {}),
      ...(info?.files !== undefined ? { files: info.files } : {}),
      ...(this.rowsCut ? { rowsKept: this.rowsKept } : {}),
      ...(fragments.reassembled > 0 ? { reassembled: fragments.reassembled } : {}),
      ...(fragments.dropped > 0 ? { fragmentsDropped: fragments.dropped } : {}),
      ...(this.shards > 1 ? { shard: `${this.shardIndex + 1}/${this.shards}` } : {}),
    };
    const unplaced = this.unplaced !== undefined && this.unplaced.packets.length > 0 ? { unplaced: this.unplaced } : {};
    return { capture, flows: this.flows, summary: this.tally.summary(), errors: damage ? [damage] : [], ...unplaced };
  }

  /** Seconds since the first record of the capture. */
  relative(t: Instant): number {
    return this.first ? secondsBetween(this.first, t) : 0;
  }

  /** The latest record's time, once there is one. */
  get lastTime(): Instant | undefined {
    return this.first ? this.last : undefined;
  }

  get firstTime(): Instant | undefined {
    return this.first;
  }

  /**
   * A finished connection's report: values that outlive the view and the verdict (onFlow's, during
   * the call: check compares each as it comes).
   */
  flowReport(c: ConnectionView, v: Verdict): FlowReport {
    return {
      id: c.id, client: c.client.endpoint(), server: c.server.endpoint(), handshake: c.handshake,
      firstPacket: c.firstPacket, lastPacket: c.lastPacket,
      startTime: this.relative(c.startTime), endTime: this.relative(c.endTime),
      bytes: { client: c.client.bytes, server: c.server.bytes },
      history: c.history,
      teardown: {
        class: v.class, detail: v.detail, closer: v.closer, resetBy: v.resetBy, trailingBytes: v.trailingBytes,
        stuckFor: v.stuckFor, evidence: v.evidence, causes: v.causes, explain: { keyNo: v.keyNo, facts: explainFacts(c, v), unsure: stuckUnsure(v) },
      },
      finalState: { client: c.client.state, server: c.server.state },
      rows: c.rows,
      ...(c.via !== undefined ? { via: c.via } : {}),
    };
  }
}

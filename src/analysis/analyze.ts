import type { CaptureDamage, CaptureInfo, CaptureRecord } from '../capture/record.js';
import { SegmentDecoder } from '../decode/fast.js';
import type { TcpSegment } from '../decode/segment.js';
import { CLIENT, SERVER, handshakeOf } from '../flow/columns.js';
import type { Connection, Instant, PacketRow } from '../flow/connection.js';
import { hasEnded, isClosed } from '../flow/connection.js';
import { trackBases } from '../flow/reuse.js';
import type { StoredConnection } from '../flow/stored.js';
import { ConnectionTable } from '../flow/table.js';
import type { Lang } from './annotations.js';
import { explain } from '../render/explanations/string.js';
import type { CaptureSummary, FlowReport, Report } from './report.js';
import { classify, newVerdict } from './teardown.js';
import type { StoredSlot, Verdict } from './teardown.js';
import { TEARDOWN_CLASSES } from './verdict-keys.js';
import type { TeardownClass } from './verdict-keys.js';
import { trackSegment } from './track.js';

export interface AnalyzeOptions {
  /** Keep packet rows for the table and JSON (false: --no-packets). */
  packets: boolean;
  /**
   * With `packets`, which connections keep their rows (default: all), decided when a connection
   * opens (`--flow`, `--port`). The others skip the Info column and the rows entirely.
   */
  rowsFor?: (c: Pick<Connection, 'id' | 'client' | 'server'>) => boolean;
  lang: Lang;
  /** Called as each connection is finished and released (ndjson streams them). */
  onFlow?: (flow: FlowReport) => void;
  /**
   * In place of onFlow, for a report that renders straight from the store: each finished
   * connection's slot and its verdict. Both are valid during the call only (the verdict object is
   * reused); no FlowReport and no explanation text is built (render/explanations/bytes.ts writes it).
   */
  onFlowSlot?: (c: StoredSlot, verdict: Verdict) => void;
  /** Keep every finished connection for the report (false: ndjson, which streams them instead). */
  keepFlows?: boolean;
  /** Called with each packet's row as it is analysed (live capture streams them). */
  onRow?: (conn: Connection, row: PacketRow) => void;
  /** Called once when a connection is over on the wire (a RST, or both FINs acknowledged): live prints the verdict then. */
  onEnded?: (flow: FlowReport) => void;
}

/**
 * How long (capture time, seconds) a connection is kept after its last packet before it is
 * classified and released, so that memory follows the connections still open. One that ended
 * (a RST, or both FINs) is kept as long as Linux keeps TIME_WAIT (60 s), for the packets that may
 * still follow its end (retransmitted FINs, one RST per late segment); anything else an hour.
 * A packet after the release starts a new connection, as in Zeek.
 */
export const ENDED_LINGER_S = 60;
export const IDLE_LIMIT_S = 3600;

const secondsBetween = (from: Instant, to: Instant): number => to.sec - from.sec + (to.nsec - from.nsec) / 1e9;

/**
 * The wiring of the pipeline: records → segments → connections → states → verdicts.
 * Feed it records in capture order, then call `finish`. Reads no clock: capture time only.
 */
export class Analyzer {
  private readonly table: ConnectionTable;
  private readonly byClass: Partial<Record<TeardownClass, number>> = {};
  private lastSweep = 0;
  /** The end of the capture once known (finish): what stuck verdicts count to. */
  private captureEnd: Instant | undefined;
  private first: Instant | undefined;
  private readonly last: Instant = { sec: 0, nsec: 0 };
  /** The record being read: one decoder and one time, reused from record to record. */
  private readonly decoder = new SegmentDecoder();
  private readonly now: Instant = { sec: 0, nsec: 0 };
  private packets = 0;
  private tcpPackets = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly flows: FlowReport[] = [];
  private flowCount = 0;
  /** The verdict object onFlowSlot is given, reused from connection to connection. */
  private readonly verdict = newVerdict();
  /** 9 once a record shows sub-microsecond time (a nanosecond capture), else 6: the Time column's decimals. */
  digits: 6 | 9 = 6;

  constructor(private readonly file: string, private readonly opts: AnalyzeOptions) {
    const rowsFor = opts.rowsFor ?? (() => true);
    this.table = new ConnectionTable(
      { keepRows: opts.packets ? rowsFor : undefined, streamRows: opts.onRow !== undefined },
      (c) => this.release(c),
    );
  }

  private release(c: StoredConnection): void {
    const onSlot = this.opts.onFlowSlot;
    const end = this.captureEnd ?? this.last;
    if (onSlot !== undefined && this.opts.onFlow === undefined && this.opts.keepFlows === false) {
      const v = classify(c, end, this.verdict);
      this.count(v.class);
      onSlot(c, v);
      return;
    }
    const flow = this.report(c, end);
    this.count(flow.teardown.class);
    this.opts.onFlow?.(flow);
    if (this.opts.keepFlows !== false) this.flows.push(flow);
  }

  private count(cls: TeardownClass): void {
    this.byClass[cls] = (this.byClass[cls] ?? 0) + 1;
    this.flowCount++;
  }

  /** The capture clock: the first and the latest record's time. */
  private tick(sec: number, nsec: number): void {
    this.first ??= { sec, nsec };
    this.last.sec = sec;
    this.last.nsec = nsec;
  }

  onRecord(r: CaptureRecord): void {
    this.packets++;
    const time = this.now;
    time.sec = r.tsSec;
    time.nsec = r.tsNsec;
    if (r.tsNsec % 1000 !== 0) this.digits = 9;
    const skipped = this.decoder.decode(r);
    if (skipped !== undefined) {
      this.tick(r.tsSec, r.tsNsec);
      this.skipped[skipped] = (this.skipped[skipped] ?? 0) + 1;
      return;
    }
    // onSegment ticks the clock (tests and live feed it segments directly).
    this.onSegment(this.decoder.segment, time);
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
    // Notes are only built for a row that will be kept or shown.
    const from = fromClient ? CLIENT : SERVER;
    const notes = trackSegment(conn, seg, from, time, view === undefined ? null : []);
    trackBases(conn.store, conn.slot, seg, from);
    conn.addHistory(seg, fromClient);
    if (view !== undefined) {
      // A connection's first packet on a reused 4-tuple carries Wireshark's reuse flag.
      const shown = view.add(seg, fromClient ? 0 : 1, conn.portReused && conn.firstPacket === seg.no);
      const row: PacketRow = {
        no: seg.no, time: { sec: time.sec, nsec: time.nsec }, fromClient, flags: seg.flags, seq: shown.relSeq, ack: shown.relAck,
        len: seg.payloadLen, win: shown.win, info: shown.info, client: conn.states.client, server: conn.states.server, notes: notes ?? [],
      };
      conn.rows?.push(row);
      this.opts.onRow?.(conn, row);
    }
    if (this.opts.onEnded && isClosed(conn) && !conn.markEnded()) {
      this.opts.onEnded(this.report(conn, time));
    }
    if (time.sec - this.lastSweep >= 1) this.sweep(time);
  }

  /** Releases connections that ended long enough ago, or went idle (memory follows open connections). */
  sweep(now: Instant): void {
    this.lastSweep = now.sec;
    this.table.release((c) => {
      // Whole seconds first: most connections are far from either bound.
      const idleSec = now.sec - c.endSec;
      if (idleSec < ENDED_LINGER_S - 1) return false;
      return secondsBetween(c.endTime, now) >= (hasEnded(c) ? ENDED_LINGER_S : IDLE_LIMIT_S);
    });
  }

  /** Room for about this many connections at once, from the start (ConnectionStore.reserve). */
  reserve(connections: number): void {
    this.table.store.reserve(connections);
  }

  /** The connections not yet released, oldest first (live capture watches them for stuck closes). */
  openConnections(): Iterable<StoredConnection> {
    return this.table.connections();
  }

  /** End of input: classify what is left and build the report. */
  finish(info: CaptureInfo | undefined, damage: CaptureDamage | undefined): Report {
    let end = this.last;
    if (info?.endTime && secondsBetween(end, info.endTime) > 0) end = info.endTime;
    this.captureEnd = end;
    this.table.finishAll();
    this.flows.sort((a, b) => a.id - b.id);
    // Canonical class order, whatever order connections were released in: output stays deterministic.
    const byClass: Partial<Record<TeardownClass, number>> = {};
    for (const k of TEARDOWN_CLASSES) if (this.byClass[k]) byClass[k] = this.byClass[k];
    const capture: CaptureSummary = {
      file: this.file,
      format: info?.format ?? null,
      linkTypes: info?.linkTypes ?? [],
      packets: this.packets,
      tcpPackets: this.tcpPackets,
      skipped: this.skipped,
      firstTime: this.first ? this.first.sec + this.first.nsec / 1e9 : null,
      lastTime: this.first ? this.last.sec + this.last.nsec / 1e9 : null,
    };
    return { capture, flows: this.flows, summary: { flows: this.flowCount, byClass }, errors: damage ? [damage] : [] };
  }

  /** Seconds since the first record of the capture. */
  relative(t: Instant): number {
    return this.first ? secondsBetween(this.first, t) : 0;
  }

  get firstTime(): Instant | undefined {
    return this.first;
  }

  private report(c: StoredConnection, end: Instant): FlowReport {
    const v = classify(c, end);
    const handshake = handshakeOf(c.store.flags[c.slot] as number);
    return {
      id: c.id, client: c.client, server: c.server, handshake,
      firstPacket: c.firstPacket, lastPacket: c.lastPacket,
      startTime: this.relative(c.startTime), endTime: this.relative(c.endTime),
      bytes: { client: c.facts.client.bytes, server: c.facts.server.bytes },
      history: c.history,
      teardown: {
        class: v.class, detail: v.detail, closer: v.closer, resetBy: v.resetBy, trailingBytes: v.trailingBytes,
        stuckFor: v.stuckFor, evidence: v.evidence, explanation: explain(c, v, this.opts.lang),
      },
      finalState: { client: c.states.client, server: c.states.server },
      rows: c.rows,
    };
  }
}

import type { CaptureDamage, CaptureInfo, CaptureRecord } from '../capture/record.js';
import { decode } from '../decode/decode.js';
import type { TcpSegment } from '../decode/segment.js';
import type { Connection, Instant, PacketRow } from '../flow/connection.js';
import { hasEnded } from '../flow/connection.js';
import { addHistory } from '../flow/history.js';
import { ConnectionTable } from '../flow/table.js';
import type { Lang } from './annotations.js';
import { explain } from './explain.js';
import type { CaptureSummary, FlowReport, Report } from './report.js';
import { TEARDOWN_CLASSES, classify } from './teardown.js';
import type { TeardownClass } from './teardown.js';
import { trackSegment } from './track.js';

export interface AnalyzeOptions {
  /** Keep packet rows for the table and JSON (false: --no-packets). */
  packets: boolean;
  lang: Lang;
  /** Called as each connection is finished and released (ndjson streams them). */
  onFlow?: (flow: FlowReport) => void;
  /** Keep every finished connection for the report (false: ndjson, which streams them instead). */
  keepFlows?: boolean;
  /** Called with each packet's row as it is analysed (live capture streams them). */
  onRow?: (conn: Connection, row: PacketRow) => void;
  /** Called once when a connection ends on the wire (a RST, or both FINs): live prints the verdict then. */
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
  /** Connections whose end has been reported through onEnded. */
  private readonly endedSeen = new WeakSet<Connection>();
  private first: Instant | undefined;
  private last: Instant = { sec: 0, nsec: 0 };
  private packets = 0;
  private tcpPackets = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly flows: FlowReport[] = [];
  private flowCount = 0;
  /** 9 once a record shows sub-microsecond time (a nanosecond capture), else 6: the Time column's decimals. */
  digits: 6 | 9 = 6;

  constructor(private readonly file: string, private readonly opts: AnalyzeOptions) {
    this.table = new ConnectionTable(opts.packets, (c) => this.release(c));
  }

  private release(c: Connection): void {
    const flow = this.report(c, this.captureEnd ?? this.last);
    this.byClass[flow.teardown.class] = (this.byClass[flow.teardown.class] ?? 0) + 1;
    this.flowCount++;
    this.opts.onFlow?.(flow);
    if (this.opts.keepFlows !== false) this.flows.push(flow);
  }

  onRecord(r: CaptureRecord): void {
    this.packets++;
    const time = { sec: r.tsSec, nsec: r.tsNsec };
    this.first ??= time;
    this.last = time;
    if (r.tsNsec % 1000 !== 0) this.digits = 9;
    const d = decode(r);
    if (d.kind !== 'tcp') {
      this.skipped[d.reason] = (this.skipped[d.reason] ?? 0) + 1;
      return;
    }
    this.onSegment(d.segment, time);
  }

  /** One decoded TCP segment, in capture order (records that are not TCP never get here). */
  onSegment(seg: TcpSegment, time: Instant): void {
    this.first ??= time;
    this.last = time;
    this.tcpPackets++;
    const { conn, fromClient, reused } = this.table.place(seg, time);
    const from = fromClient ? 'client' : 'server';
    const notes = trackSegment(conn, seg, from, time);
    const view = conn.view.add(seg, fromClient ? 0 : 1, reused);
    conn.lastPacket = seg.no;
    conn.endTime = time;
    conn.history = addHistory(conn.history, seg, fromClient);
    const row: PacketRow = {
      no: seg.no, time, fromClient, flags: seg.flags, seq: view.relSeq, ack: view.relAck, len: seg.payloadLen,
      win: view.win, info: view.info, client: conn.machine.client, server: conn.machine.server, notes,
    };
    conn.rows?.push(row);
    this.opts.onRow?.(conn, row);
    if (this.opts.onEnded && !this.endedSeen.has(conn) && hasEnded(conn)) {
      this.endedSeen.add(conn);
      this.opts.onEnded(this.report(conn, time));
    }
    if (time.sec - this.lastSweep >= 1) this.sweep(time);
  }

  /** Releases connections that ended long enough ago, or went idle (memory follows open connections). */
  sweep(now: Instant): void {
    this.lastSweep = now.sec;
    this.table.release((c) => {
      const idle = secondsBetween(c.endTime, now);
      return idle >= (hasEnded(c) ? ENDED_LINGER_S : IDLE_LIMIT_S);
    });
  }

  /** The connections not yet released, oldest first (live capture watches them for stuck closes). */
  openConnections(): Iterable<Connection> {
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

  private report(c: Connection, end: Instant): FlowReport {
    const v = classify(c, end);
    const handshake = c.sawSyn && c.sawSynAck && c.sawHandshakeAck ? 'complete' : c.sawSyn || c.sawSynAck ? 'partial' : 'none';
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
      finalState: { client: c.machine.client, server: c.machine.server },
      rows: c.rows,
    };
  }
}

import type { CaptureDamage } from '../capture/record.js';
import type { Via } from '../decode/segment.js';
import type { Endpoint, PacketRow } from '../flow/connection.js';
import type { TcpState } from '../tcp/states.js';
import type { Verdict } from './teardown.js';
import type { ExplainFacts } from './explain-facts.js';
import type { TeardownClass } from './verdict-keys.js';
import type { CauseId } from './causes.js';
import type { UnplacedList } from './unplaced.js';

/** The verdict as reports show it (docs/contract.md, "Teardown classes", "JSON fields"): the rule's answer and its explanation. */
export type TeardownReport = Omit<Verdict, 'lastAckSeen' | 'keyNo'> & { explain: ExplanationRef };

/**
 * What a verdict's explanation is made of: its catalogue key (VERDICT_KEYS), the facts it names, and
 * whether a stuck close was seen too briefly to be sure. render/explanations/ words it in a language
 * (`explanationOf`); the JSON forms carry the words as `explanation`.
 */
export interface ExplanationRef {
  keyNo: number;
  facts: ExplainFacts;
  unsure: boolean;
}

/** One finished connection, ready to render. Times are seconds since the first record. */
export interface FlowReport {
  id: number;
  client: Endpoint;
  server: Endpoint;
  handshake: 'complete' | 'partial' | 'none';
  firstPacket: number;
  lastPacket: number;
  startTime: number;
  endTime: number;
  bytes: { client: number; server: number };
  history: string;
  teardown: TeardownReport;
  finalState: { client: TcpState; server: TcpState };
  /** Rows, when kept (omitted with --no-packets). */
  rows: PacketRow[] | undefined;
  /** The tunnel the connection came through (docs/contract.md, "Tunnels"); absent for most. */
  via?: Via;
}

export interface CaptureSummary {
  file: string;
  format: 'pcap' | 'pcapng' | null;
  linkTypes: number[];
  packets: number;
  tcpPackets: number;
  /** Records not decoded as TCP, by reason (not IP, not TCP, fragment, ...). */
  skipped: Record<string, number>;
  /** Capture time of the first and last record, seconds since the epoch. */
  firstTime: number | null;
  lastTime: number | null;
  /** Packets the capturing host said it dropped (pcapng interface statistics), when it said. */
  dropped?: number;
  /** Several captures read as one: their paths, as given (glob expanded); `file` is the first. */
  files?: string[];
  /**
   * Present only when the row budget was reached (docs/contract.md, "Packet rows"): the packet
   * rows kept; later packets were analysed without their rows.
   */
  rowsKept?: number;
  /**
   * Present only when not 0 (docs/contract.md, "Fragments"): IP datagrams made whole from their
   * fragments, and fragments dropped (an overlap, a timeout, a limit, never completed).
   */
  reassembled?: number;
  fragmentsDropped?: number;
  /**
   * `--shard K/N` (docs/contract.md, "Shards"): only the connections of shard K (from 1) of N are
   * in this report; `tcpPackets` counts theirs, every other count the whole capture's.
   */
  shard?: string;
}

export interface Report {
  capture: CaptureSummary;
  flows: FlowReport[];
  summary: { flows: number; byClass: Partial<Record<TeardownClass, number>>; byCause: Partial<Record<CauseId, number>> };
  errors: CaptureDamage[];
  /** TCP packets in no connection (analysis/unplaced.ts), listed with packet rows; absent when there are none. */
  unplaced?: UnplacedList;
}

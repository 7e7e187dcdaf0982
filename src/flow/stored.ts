/**
 * A connection of the store (store.ts) read through the `Connection` and `SideFacts` interfaces, so
 * that reports, live warnings and tests read it as if each connection were an object. (The packet
 * path writes the columns itself: analysis/track.ts.) A StoredConnection is a cursor: `slot` says
 * which connection it shows, and may be moved (the packet path reuses one for every packet). Keep
 * one only while its slot is in use.
 */
import type { TcpSegment } from '../decode/segment.js';
import type { EndpointStates, Side, TcpState } from '../tcp/states.js';
import { stateName } from './columns.js';
import type { AddressId, Connection, Endpoint, Instant, PacketRow, SideFacts } from './connection.js';
import { appendHistory, historyBits, historyText } from './history.js';
import * as K from './store.js';
import type { ConnectionStore } from './store.js';
import type { WireView } from './wireview.js';

const NONE = -1;

/** Dotted-quad text of an IPv4 address kept as a signed 32-bit integer (ip.ts ipv4Text's form). */
const ipv4Texts = new Map<number, string>();
function ipv4Text(addr: number): string {
  let t = ipv4Texts.get(addr);
  if (t === undefined) {
    if (ipv4Texts.size >= 65536) ipv4Texts.clear();
    t = `${(addr >>> 24) & 255}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
    ipv4Texts.set(addr, t);
  }
  return t;
}

const packetNo = (n: number): number | undefined => (n === NONE ? undefined : n);

export class StoredConnection implements Connection {
  readonly facts: Readonly<Record<Side, StoredFacts>>;
  readonly states: StoredStates;

  constructor(readonly store: ConnectionStore, public slot: number) {
    this.facts = { client: new StoredFacts(this, 0), server: new StoredFacts(this, 1) };
    this.states = new StoredStates(this);
  }

  get id(): number {
    return this.store.id[this.slot] as number;
  }

  private get textIds(): boolean {
    return ((this.store.flags[this.slot] as number) & K.TEXT_IDS) !== 0;
  }

  get clientId(): AddressId {
    return this.textIds ? (this.store.extra(this.slot)?.clientText ?? '') : (this.store.clientAddr[this.slot] as number);
  }

  get serverId(): AddressId {
    return this.textIds ? (this.store.extra(this.slot)?.serverText ?? '') : (this.store.serverAddr[this.slot] as number);
  }

  get client(): Endpoint {
    const id = this.clientId;
    return { ip: typeof id === 'string' ? id : ipv4Text(id), port: this.store.clientPort[this.slot] as number };
  }

  get server(): Endpoint {
    const id = this.serverId;
    return { ip: typeof id === 'string' ? id : ipv4Text(id), port: this.store.serverPort[this.slot] as number };
  }

  /** Whether a segment of this connection was sent by its client. */
  fromClient(seg: TcpSegment): boolean {
    if (seg.srcPort !== this.store.clientPort[this.slot]) return false;
    return this.textIds ? seg.src === this.clientId : seg.srcV4 === this.store.clientAddr[this.slot];
  }

  get firstPacket(): number {
    return this.store.firstPacket[this.slot] as number;
  }

  get lastPacket(): number {
    return this.store.lastPacket[this.slot] as number;
  }

  get startTime(): Instant {
    return { sec: this.store.startSec[this.slot] as number, nsec: this.store.startNsec[this.slot] as number };
  }

  get endTime(): Instant {
    return { sec: this.store.endSec[this.slot] as number, nsec: this.store.endNsec[this.slot] as number };
  }

  /** Whole seconds of endTime (the sweep's first test, without making a time). */
  get endSec(): number {
    return this.store.endSec[this.slot] as number;
  }

  private flag(bit: number): boolean {
    return ((this.store.flags[this.slot] as number) & bit) !== 0;
  }

  get sawSyn(): boolean {
    return this.flag(K.SAW_SYN);
  }

  get sawSynAck(): boolean {
    return this.flag(K.SAW_SYN_ACK);
  }

  get sawHandshakeAck(): boolean {
    return this.flag(K.SAW_HANDSHAKE_ACK);
  }

  get portReused(): boolean {
    return this.flag(K.PORT_REUSED);
  }

  /** Whether its end was reported already; the first call returns false and marks it. */
  markEnded(): boolean {
    if (this.flag(K.ENDED_SEEN)) return true;
    this.store.flags[this.slot] = (this.store.flags[this.slot] as number) | K.ENDED_SEEN;
    return false;
  }

  get refusedNo(): number | undefined {
    return packetNo(this.store.refusedNo[this.slot] as number);
  }

  get view(): WireView | undefined {
    return this.store.extra(this.slot)?.view;
  }

  get rows(): PacketRow[] | undefined {
    return this.store.extra(this.slot)?.rows;
  }

  get history(): string {
    return historyText(this.store.historySeq[this.slot] as number);
  }

  /** Adds the history letters a segment shows. */
  addHistory(seg: TcpSegment, fromClient: boolean): void {
    const s = this.store;
    const mask = s.historyMask[this.slot] as number;
    const fresh = historyBits(seg, fromClient) & ~mask;
    if (fresh === 0) return;
    s.historyMask[this.slot] = mask | fresh;
    s.historySeq[this.slot] = appendHistory(s.historySeq[this.slot] as number, fresh);
  }
}

/** Both endpoints' states, from the store's `state` column. */
export class StoredStates implements EndpointStates {
  constructor(private readonly conn: StoredConnection) {}

  get(side: Side): TcpState {
    const c = this.conn;
    return stateName(c.store, c.slot * 2 + (side === 'client' ? 0 : 1));
  }

  get client(): TcpState {
    return this.get('client');
  }

  get server(): TcpState {
    return this.get('server');
  }
}

/** One side's facts, from the store's per-side columns. */
export class StoredFacts implements SideFacts {
  constructor(private readonly conn: StoredConnection, private readonly side: 0 | 1) {}

  private get s(): ConnectionStore {
    return this.conn.store;
  }

  private get cell(): number {
    return this.conn.slot * 2 + this.side;
  }

  private has(bit: number): boolean {
    return ((this.s.sideFlags[this.cell] as number) & bit) !== 0;
  }

  /** A sequence number column whose presence is one bit of sideFlags. */
  private seqOf(col: Uint32Array, bit: number): number | undefined {
    return this.has(bit) ? (col[this.cell] as number) : undefined;
  }

  get baseSet(): boolean { return this.has(K.BASE_SET); }
  get base(): number { return this.s.base[this.cell] as number; }

  get synNo(): number | undefined { return packetNo(this.s.synNo[this.cell] as number); }
  get isn(): number | undefined { return this.seqOf(this.s.isn, K.ISN_SET); }

  get finNo(): number | undefined { return packetNo(this.s.finNo[this.cell] as number); }
  get finSeq(): number | undefined { return this.seqOf(this.s.finSeq, K.FIN_SEQ_SET); }
  get finEnd(): number | undefined { return this.seqOf(this.s.finEnd, K.FIN_END_SET); }
  get finTime(): Instant | undefined {
    return this.has(K.FIN_TIME_SET) ? { sec: this.s.finSec[this.cell] as number, nsec: this.s.finNsec[this.cell] as number } : undefined;
  }

  get finAckNo(): number | undefined { return packetNo(this.s.finAckNo[this.cell] as number); }
  get finAckTime(): Instant | undefined {
    return this.has(K.FIN_ACK_TIME_SET) ? { sec: this.s.finAckSec[this.cell] as number, nsec: this.s.finAckNsec[this.cell] as number } : undefined;
  }

  get rstNos(): readonly number[] { return this.s.list(this.cell * 3 + K.RST_NOS); }
  /** How many RSTs rstNos holds, without building the list. */
  get rstCount(): number { return this.s.listLength(this.cell * 3 + K.RST_NOS); }

  get bytes(): number { return this.s.bytes[this.cell] as number; }
  get highEnd(): number | undefined { return this.seqOf(this.s.highEnd, K.HIGH_END_SET); }

  get dataAfterPeerFin(): readonly number[] { return this.s.list(this.cell * 3 + K.DATA_AFTER_PEER_FIN); }
  get bytesAfterPeerFin(): number { return this.s.bytesAfterPeerFin[this.cell] as number; }
  get trailingBytes(): number { return this.s.trailingBytes[this.cell] as number; }
  get trailingNos(): readonly number[] { return this.s.list(this.cell * 3 + K.TRAILING_NOS); }
  get trailingEnd(): number | undefined { return this.seqOf(this.s.trailingEnd, K.TRAILING_END_SET); }
}

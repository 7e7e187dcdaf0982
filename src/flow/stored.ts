/**
 * A connection of the store (store.ts) read and written through the `Connection` and `SideFacts`
 * interfaces, so that tracking, verdicts and explanations read as if each connection were an
 * object. A StoredConnection is a cursor: `slot` says which connection it shows, and may be moved
 * (the packet path reuses one for every packet). Keep one only while its slot is in use.
 */
import type { TcpSegment } from '../decode/segment.js';
import { EndpointMachine } from '../tcp/machine.js';
import type { Side, TcpState } from '../tcp/states.js';
import { TCP_STATES } from '../tcp/states.js';
import type { AddressId, Connection, Endpoint, Instant, PacketRow, SideFacts } from './connection.js';
import { appendHistory, historyBits, historyText } from './history.js';
import * as K from './store.js';
import type { ConnectionStore } from './store.js';
import type { WireView } from './wireview.js';

const STATE_INDEX = new Map<TcpState, number>(TCP_STATES.map((s, i) => [s, i]));
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
  readonly machine: StoredMachine;

  constructor(readonly store: ConnectionStore, public slot: number) {
    this.facts = { client: new StoredFacts(this, 0), server: new StoredFacts(this, 1) };
    this.machine = new StoredMachine(this);
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

  set lastPacket(no: number) {
    this.store.lastPacket[this.slot] = no;
  }

  get startTime(): Instant {
    return { sec: this.store.startSec[this.slot] as number, nsec: this.store.startNsec[this.slot] as number };
  }

  get endTime(): Instant {
    return { sec: this.store.endSec[this.slot] as number, nsec: this.store.endNsec[this.slot] as number };
  }

  set endTime(t: Instant) {
    this.store.endSec[this.slot] = t.sec;
    this.store.endNsec[this.slot] = t.nsec;
  }

  /** Whole seconds of endTime (the sweep's first test, without making a time). */
  get endSec(): number {
    return this.store.endSec[this.slot] as number;
  }

  private flag(bit: number): boolean {
    return ((this.store.flags[this.slot] as number) & bit) !== 0;
  }

  private setFlag(bit: number, on: boolean): void {
    const f = this.store.flags[this.slot] as number;
    this.store.flags[this.slot] = on ? f | bit : f & ~bit;
  }

  get sawSyn(): boolean {
    return this.flag(K.SAW_SYN);
  }

  set sawSyn(v: boolean) {
    this.setFlag(K.SAW_SYN, v);
  }

  get sawSynAck(): boolean {
    return this.flag(K.SAW_SYN_ACK);
  }

  set sawSynAck(v: boolean) {
    this.setFlag(K.SAW_SYN_ACK, v);
  }

  get sawHandshakeAck(): boolean {
    return this.flag(K.SAW_HANDSHAKE_ACK);
  }

  set sawHandshakeAck(v: boolean) {
    this.setFlag(K.SAW_HANDSHAKE_ACK, v);
  }

  get portReused(): boolean {
    return this.flag(K.PORT_REUSED);
  }

  /** Whether its end was reported already; the first call returns false and marks it. */
  markEnded(): boolean {
    if (this.flag(K.ENDED_SEEN)) return true;
    this.setFlag(K.ENDED_SEEN, true);
    return false;
  }

  get refusedNo(): number | undefined {
    return packetNo(this.store.refusedNo[this.slot] as number);
  }

  set refusedNo(no: number | undefined) {
    this.store.refusedNo[this.slot] = no ?? NONE;
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

/** Both endpoints' states, in the store's `state` column. */
export class StoredMachine extends EndpointMachine {
  constructor(private readonly conn: StoredConnection) {
    super();
  }

  get(side: Side): TcpState {
    const c = this.conn;
    return TCP_STATES[c.store.state[c.slot * 2 + (side === 'client' ? 0 : 1)] as number] ?? 'CLOSED';
  }

  protected set(side: Side, state: TcpState): void {
    const c = this.conn;
    c.store.state[c.slot * 2 + (side === 'client' ? 0 : 1)] = STATE_INDEX.get(state) ?? 0;
  }
}

/** One side's facts, in the store's per-side columns. */
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

  private mark(bit: number, on: boolean): void {
    const f = this.s.sideFlags[this.cell] as number;
    this.s.sideFlags[this.cell] = on ? f | bit : f & ~bit;
  }

  /** A sequence number column whose presence is one bit of sideFlags. */
  private seqOf(col: Uint32Array, bit: number): number | undefined {
    return this.has(bit) ? (col[this.cell] as number) : undefined;
  }

  private setSeq(col: Uint32Array, bit: number, v: number | undefined): void {
    if (v !== undefined) col[this.cell] = v;
    this.mark(bit, v !== undefined);
  }

  get baseSet(): boolean { return this.has(K.BASE_SET); }
  set baseSet(v: boolean) { this.mark(K.BASE_SET, v); }
  get base(): number { return this.s.base[this.cell] as number; }
  set base(v: number) { this.s.base[this.cell] = v; }

  get synNo(): number | undefined { return packetNo(this.s.synNo[this.cell] as number); }
  set synNo(v: number | undefined) { this.s.synNo[this.cell] = v ?? NONE; }
  get isn(): number | undefined { return this.seqOf(this.s.isn, K.ISN_SET); }
  set isn(v: number | undefined) { this.setSeq(this.s.isn, K.ISN_SET, v); }

  get finNo(): number | undefined { return packetNo(this.s.finNo[this.cell] as number); }
  set finNo(v: number | undefined) { this.s.finNo[this.cell] = v ?? NONE; }
  get finSeq(): number | undefined { return this.seqOf(this.s.finSeq, K.FIN_SEQ_SET); }
  set finSeq(v: number | undefined) { this.setSeq(this.s.finSeq, K.FIN_SEQ_SET, v); }
  get finEnd(): number | undefined { return this.seqOf(this.s.finEnd, K.FIN_END_SET); }
  set finEnd(v: number | undefined) { this.setSeq(this.s.finEnd, K.FIN_END_SET, v); }
  get finTime(): Instant | undefined {
    return this.has(K.FIN_TIME_SET) ? { sec: this.s.finSec[this.cell] as number, nsec: this.s.finNsec[this.cell] as number } : undefined;
  }
  set finTime(t: Instant | undefined) {
    if (t !== undefined) {
      this.s.finSec[this.cell] = t.sec;
      this.s.finNsec[this.cell] = t.nsec;
    }
    this.mark(K.FIN_TIME_SET, t !== undefined);
  }

  get finAckNo(): number | undefined { return packetNo(this.s.finAckNo[this.cell] as number); }
  set finAckNo(v: number | undefined) { this.s.finAckNo[this.cell] = v ?? NONE; }
  get finAckTime(): Instant | undefined {
    return this.has(K.FIN_ACK_TIME_SET) ? { sec: this.s.finAckSec[this.cell] as number, nsec: this.s.finAckNsec[this.cell] as number } : undefined;
  }
  set finAckTime(t: Instant | undefined) {
    if (t !== undefined) {
      this.s.finAckSec[this.cell] = t.sec;
      this.s.finAckNsec[this.cell] = t.nsec;
    }
    this.mark(K.FIN_ACK_TIME_SET, t !== undefined);
  }

  get rstNos(): readonly number[] { return this.s.list(this.cell * 3 + K.RST_NOS); }
  set rstNos(l: readonly number[]) { this.s.setList(this.cell * 3 + K.RST_NOS, l); }
  /** How many RSTs rstNos holds, without building the list. */
  get rstCount(): number { return this.s.listLength(this.cell * 3 + K.RST_NOS); }

  get bytes(): number { return this.s.bytes[this.cell] as number; }
  set bytes(v: number) { this.s.bytes[this.cell] = v; }
  get highEnd(): number | undefined { return this.seqOf(this.s.highEnd, K.HIGH_END_SET); }
  set highEnd(v: number | undefined) { this.setSeq(this.s.highEnd, K.HIGH_END_SET, v); }

  get dataAfterPeerFin(): readonly number[] { return this.s.list(this.cell * 3 + K.DATA_AFTER_PEER_FIN); }
  set dataAfterPeerFin(l: readonly number[]) { this.s.setList(this.cell * 3 + K.DATA_AFTER_PEER_FIN, l); }
  get bytesAfterPeerFin(): number { return this.s.bytesAfterPeerFin[this.cell] as number; }
  set bytesAfterPeerFin(v: number) { this.s.bytesAfterPeerFin[this.cell] = v; }
  get trailingBytes(): number { return this.s.trailingBytes[this.cell] as number; }
  set trailingBytes(v: number) { this.s.trailingBytes[this.cell] = v; }
  get trailingNos(): readonly number[] { return this.s.list(this.cell * 3 + K.TRAILING_NOS); }
  set trailingNos(l: readonly number[]) { this.s.setList(this.cell * 3 + K.TRAILING_NOS, l); }
  get trailingEnd(): number | undefined { return this.seqOf(this.s.trailingEnd, K.TRAILING_END_SET); }
  set trailingEnd(v: number | undefined) { this.setSeq(this.s.trailingEnd, K.TRAILING_END_SET, v); }
}

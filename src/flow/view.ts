/**
 * A connection of the store (store.ts) read in domain terms: `c.client.finNo`, `c.server.rstNos`,
 * `c.sawSyn`, `c.client.port`. The getters of the declared facts are generated (schema.ts); this
 * file adds what is not a column: addresses, the Extra, and the two sides.
 *
 * A ConnectionView is a borrowed cursor: `slot` says which connection it shows, and the table moves
 * it from connection to connection (the packet path reuses one for every packet). Read it during the
 * call that hands it to you, and keep what you need as values.
 */
import { RareFacts } from './rare.js';
import type { RareSide } from './rare.js';
import type { TcpSegment, Via } from '../decode/segment.js';
import type { AddressId, Endpoint, PacketRow } from './connection.js';
import { appendHistory, historyBits } from './history.js';
import type { ConnectionStore } from './store.js';
import { ConnectionFacts, K, SideFacts } from './store-columns.generated.js';
import type { WireView } from './wireview.js';

export type SideNo = 0 | 1;
export const CLIENT: SideNo = 0;
export const SERVER: SideNo = 1;
export const otherSideNo = (side: SideNo): SideNo => (side === 0 ? 1 : 0);
export const sideName = (side: SideNo): 'client' | 'server' => (side === 0 ? 'client' : 'server');

/** Dotted-quad text of an IPv4 address kept as a signed 32-bit integer (ip.ts ipv4Text's form). */
const ipv4Texts = new Map<number, string>();
export function ipv4Text(addr: number): string {
  let t = ipv4Texts.get(addr);
  if (t === undefined) {
    if (ipv4Texts.size >= 65536) ipv4Texts.clear();
    t = `${(addr >>> 24) & 255}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
    ipv4Texts.set(addr, t);
  }
  return t;
}

/** The handshake a report names: `complete` (SYN, SYN-ACK and its ACK seen), `partial` or `none`. */
export function handshakeOf(flags: number): 'complete' | 'partial' | 'none' {
  if ((flags & K.SAW_SYN) !== 0 && (flags & K.SAW_SYN_ACK) !== 0 && (flags & K.SAW_HANDSHAKE_ACK) !== 0) return 'complete';
  return (flags & (K.SAW_SYN | K.SAW_SYN_ACK)) !== 0 ? 'partial' : 'none';
}

/** One endpoint of a connection: its address and port, and what it did (the generated facts). */
export class SideView extends SideFacts implements Endpoint {
  constructor(private readonly conn: ConnectionView, readonly no: SideNo) {
    super();
  }

  get store(): ConnectionStore {
    return this.conn.store;
  }

  get cell(): number {
    return this.conn.slot * 2 + this.no;
  }

  /** The address as keys compare it: an IPv4 address as a 32-bit integer, else its text. */
  get addressId(): AddressId {
    const s = this.conn.store;
    const slot = this.conn.slot;
    if (((s.flags[slot] as number) & K.TEXT_IDS) !== 0) {
      const extra = s.extra(slot);
      return (this.no === CLIENT ? extra?.clientText : extra?.serverText) ?? '';
    }
    return (this.no === CLIENT ? s.clientAddr[slot] : s.serverAddr[slot]) as number;
  }

  /** The address as text (a dotted quad, or IPv6 text). */
  get ip(): string {
    const id = this.addressId;
    return typeof id === 'string' ? id : ipv4Text(id);
  }

  get port(): number {
    const s = this.conn.store;
    return (this.no === CLIENT ? s.clientPort[this.conn.slot] : s.serverPort[this.conn.slot]) as number;
  }

  /** The state as its index into TCP_STATES (renderers cache words by it). */
  get stateNo(): number {
    return this.conn.store.state[this.cell] as number;
  }

  /** A plain { ip, port } that outlives the view. */
  endpoint(): Endpoint {
    return { ip: this.ip, port: this.port };
  }

  /** "client" or "server". */
  get name(): 'client' | 'server' {
    return sideName(this.no);
  }

  /** The other side. */
  get peer(): SideView {
    return this.no === CLIENT ? this.conn.server : this.conn.client;
  }

  /** Its rare facts (rare.ts), or the empty ones when the connection has none. */
  get rare(): RareSide {
    return this.conn.store.rareFacts(this.conn.slot)?.sides[this.no] ?? NO_RARE.sides[this.no];
  }
}

/** What a connection without RareFacts reads: every fact 0. Never written. */
const NO_RARE = new RareFacts();

export class ConnectionView extends ConnectionFacts {
  readonly client: SideView;
  readonly server: SideView;

  constructor(readonly store: ConnectionStore, public slot: number) {
    super();
    this.client = new SideView(this, CLIENT);
    this.server = new SideView(this, SERVER);
  }

  /** Its rare facts (rare.ts), or the empty ones when it has none. */
  get rare(): RareFacts {
    return this.store.rareFacts(this.slot) ?? NO_RARE;
  }

  /** The `flags` column, as handshakeOf and renderers read it. */
  get flagBits(): number {
    return this.store.flags[this.slot] as number;
  }

  get handshake(): 'complete' | 'partial' | 'none' {
    return handshakeOf(this.flagBits);
  }

  /** The history letters as history.ts keeps them (base-16 digits), for writers that spell them out. */
  get historyDigits(): number {
    return this.store.historySeq[this.slot] as number;
  }

  /** Whether a segment of this connection was sent by its client. */
  fromClient(seg: TcpSegment): boolean {
    const s = this.store;
    if (seg.srcPort !== s.clientPort[this.slot]) return false;
    return ((s.flags[this.slot] as number) & K.TEXT_IDS) !== 0 ? seg.src === this.client.addressId : seg.srcV4 === s.clientAddr[this.slot];
  }

  /** Whether its end was reported already; the first call returns false and marks it. */
  markEnded(): boolean {
    const flags = this.store.flags[this.slot] as number;
    if ((flags & K.ENDED_SEEN) !== 0) return true;
    this.store.flags[this.slot] = flags | K.ENDED_SEEN;
    return false;
  }

  /** Wireshark's view (relative numbers, Info column): only when packet rows are kept or streamed. */
  get view(): WireView | undefined {
    return this.store.extra(this.slot)?.view;
  }

  /** Packet rows, kept only when they will be printed. */
  get rows(): PacketRow[] | undefined {
    return this.store.extra(this.slot)?.rows;
  }

  /** The tunnel the connection came through (docs/contract.md, "Tunnels"); undefined for most. */
  get via(): Via | undefined {
    return this.store.extra(this.slot)?.via;
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

  /** Over for both endpoints: a RST, or both FINs acknowledged. */
  get closed(): boolean {
    return this.client.rstNosCount > 0 || this.server.rstNosCount > 0 || (this.client.finAckNo !== undefined && this.server.finAckNo !== undefined);
  }

  /** Ended on the wire: a RST, or both FINs sent. */
  get ended(): boolean {
    return this.client.rstNosCount > 0 || this.server.rstNosCount > 0 || (this.client.finNo !== undefined && this.server.finNo !== undefined);
  }
}

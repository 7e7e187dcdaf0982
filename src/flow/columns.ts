/**
 * Reading (and marking) a connection's facts straight in the store's columns (store.ts), for the
 * code that runs for every packet or every connection (tracking, verdicts, the ndjson report): no
 * cursor, getter or array in between. A side is 0 (client) or 1 (server); its facts are at
 * `cell = slot * 2 + side`. Packet numbers read as -1 when not set (NO_PACKET).
 */
import type { TcpState } from '../tcp/states.js';
import { TCP_STATES } from '../tcp/states.js';
import type { ConnectionStore } from './store.js';
import { DATA_AFTER_PEER_FIN, FIN_ACK_TIME_SET, FIN_TIME_SET, RST_NOS, SAW_HANDSHAKE_ACK, SAW_SYN, SAW_SYN_ACK, TEXT_IDS, TRAILING_NOS } from './store.js';

export type SideNo = 0 | 1;
export const CLIENT: SideNo = 0;
export const SERVER: SideNo = 1;
export const NO_PACKET = -1;

export const cellOf = (slot: number, side: SideNo): number => slot * 2 + side;
export const otherSideNo = (side: SideNo): SideNo => (side === 0 ? 1 : 0);
export const sideName = (side: SideNo): 'client' | 'server' => (side === 0 ? 'client' : 'server');

/** The endpoint state kept as an index into TCP_STATES (CLOSED before any). */
export const stateOf = (index: number): TcpState => TCP_STATES[index] ?? 'CLOSED';

/** A side's endpoint state. */
export const stateName = (s: ConnectionStore, cell: number): TcpState => stateOf(s.state[cell] as number);

/** The handshake a report names, from the connection's flags. */
export function handshakeOf(flags: number): 'complete' | 'partial' | 'none' {
  if ((flags & SAW_SYN) !== 0 && (flags & SAW_SYN_ACK) !== 0 && (flags & SAW_HANDSHAKE_ACK) !== 0) return 'complete';
  return (flags & (SAW_SYN | SAW_SYN_ACK)) !== 0 ? 'partial' : 'none';
}

/** A side's address when kept as text (IPv6, or a segment built by hand); undefined for IPv4, kept as a number. */
export function addressText(s: ConnectionStore, slot: number, side: SideNo): string | undefined {
  if (((s.flags[slot] as number) & TEXT_IDS) === 0) return undefined;
  const extra = s.extra(slot);
  return (side === CLIENT ? extra?.clientText : extra?.serverText) ?? '';
}

export type PacketListNo = typeof RST_NOS | typeof DATA_AFTER_PEER_FIN | typeof TRAILING_NOS;

export const finNo = (s: ConnectionStore, cell: number): number => s.finNo[cell] as number;
export const finAckNo = (s: ConnectionStore, cell: number): number => s.finAckNo[cell] as number;
export const synNo = (s: ConnectionStore, cell: number): number => s.synNo[cell] as number;
/** Whether a side's optional sequence number or time is set (a store.ts *_SET bit of `sideFlags`). */
export const isSet = (s: ConnectionStore, cell: number, bit: number): boolean => ((s.sideFlags[cell] as number) & bit) !== 0;
export const markSet = (s: ConnectionStore, cell: number, bits: number): void => {
  s.sideFlags[cell] = (s.sideFlags[cell] as number) | bits;
};
export const markUnset = (s: ConnectionStore, cell: number, bits: number): void => {
  s.sideFlags[cell] = (s.sideFlags[cell] as number) & ~bits;
};
export const hasFinTime = (s: ConnectionStore, cell: number): boolean => isSet(s, cell, FIN_TIME_SET);
export const hasFinAckTime = (s: ConnectionStore, cell: number): boolean => isSet(s, cell, FIN_ACK_TIME_SET);

/** Length and items of one of a side's packet lists (store.ts RST_NOS, DATA_AFTER_PEER_FIN, TRAILING_NOS). */
export const listLength = (s: ConnectionStore, cell: number, list: PacketListNo): number => s.listLength(cell * 3 + list);
export const listItem = (s: ConnectionStore, cell: number, list: PacketListNo, i: number): number => s.listItem(cell * 3 + list, i);
export const addToList = (s: ConnectionStore, cell: number, list: PacketListNo, no: number): void => s.addToList(cell * 3 + list, no);

/** Appends a side's packet list to `to`. */
export function pushList(to: number[], s: ConnectionStore, cell: number, list: PacketListNo): void {
  const n = listLength(s, cell, list);
  for (let i = 0; i < n; i++) to.push(listItem(s, cell, list, i));
}

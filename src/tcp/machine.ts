import type { TcpState } from './states.js';
import { TCP_STATES } from './states.js';

/**
 * Both endpoints' states as an observer on the path infers them (docs/contract.md, "Endpoint states").
 *
 * A side's own sending moves it at once (SYN, FIN, RST). What it receives moves it only when
 * its next packet proves the receipt by acknowledging it, except the ACK of its own SYN or FIN,
 * which moves it as the ACK passes: that is how docs/contract.md, "State rules" words it ("the ACK that covers a FIN
 * moves the FIN's sender on ... and the FIN's receiver into CLOSE_WAIT").
 *
 * The rules only. They run for every packet, so they step indexes into TCP_STATES held in a
 * Uint8Array, two cells a connection (the connection store's `state` column, flow/store.ts):
 * `cell` is one side's, `cell ^ 1` its peer's.
 */
const index = (s: TcpState): number => TCP_STATES.indexOf(s);
const CLOSED = index('CLOSED');
const LISTEN = index('LISTEN');
const SYN_SENT = index('SYN_SENT');
const SYN_RECEIVED = index('SYN_RECEIVED');
const ESTABLISHED = index('ESTABLISHED');
const FIN_WAIT_1 = index('FIN_WAIT_1');
const FIN_WAIT_2 = index('FIN_WAIT_2');
const CLOSING = index('CLOSING');
const TIME_WAIT = index('TIME_WAIT');
const CLOSE_WAIT = index('CLOSE_WAIT');
const LAST_ACK = index('LAST_ACK');

/** The first packet of a connection seen without its SYN: both sides were already talking. */
export function startMidstream(states: Uint8Array, cell: number): void {
  states[cell] = ESTABLISHED;
  states[cell ^ 1] = ESTABLISHED;
}

/**
 * A SYN (no ACK) from `cell`'s side: it asks to connect; the other side is assumed listening. A SYN
 * answering the other side's SYN is a simultaneous open or a split handshake (RFC 9293 §3.5, figure 8):
 * both sides are then in SYN_SENT.
 */
export function synSent(states: Uint8Array, cell: number): void {
  if (states[cell] === CLOSED) {
    states[cell] = SYN_SENT;
    if (states[cell ^ 1] === CLOSED) states[cell ^ 1] = LISTEN;
  } else if (states[cell] === LISTEN && states[cell ^ 1] === SYN_SENT) {
    states[cell] = SYN_SENT;
  }
}

/**
 * A SYN-ACK from `cell`'s side: it received the SYN and answers (RFC 9293 §3.5); from a side in
 * SYN_SENT, the SYN it answers crossed its own (simultaneous open, split handshake).
 */
export function synAckSent(states: Uint8Array, cell: number): void {
  const s = states[cell];
  if (s === CLOSED || s === LISTEN || (s === SYN_SENT && states[cell ^ 1] === SYN_SENT)) states[cell] = SYN_RECEIVED;
  if (states[cell ^ 1] === CLOSED) states[cell ^ 1] = SYN_SENT;
}

/** `cell`'s side acknowledged the other side's SYN: the other side's SYN is answered, both are open. */
export function synAcked(states: Uint8Array, cell: number): void {
  const mine = states[cell];
  if (mine === SYN_SENT || mine === SYN_RECEIVED) states[cell] = ESTABLISHED;
  const peer = states[cell ^ 1];
  if (peer === SYN_RECEIVED || peer === SYN_SENT) states[cell ^ 1] = ESTABLISHED;
}

/**
 * `cell`'s side acknowledged the other side's FIN (RFC 9293 §3.10.7.4, FIN processing):
 * the acknowledger has now surely received the FIN, and the FIN's sender learns it was received.
 */
export function finAcked(states: Uint8Array, cell: number): void {
  const receiver = cell;
  const sender = cell ^ 1;
  switch (states[sender]) {
    case FIN_WAIT_1: states[sender] = FIN_WAIT_2; break;
    case CLOSING: states[sender] = TIME_WAIT; break;
    case LAST_ACK: states[sender] = CLOSED; break;
    default: break;
  }
  switch (states[receiver]) {
    case ESTABLISHED: case SYN_RECEIVED: case SYN_SENT: states[receiver] = CLOSE_WAIT; break;
    case FIN_WAIT_1: states[receiver] = CLOSING; break;
    case FIN_WAIT_2: states[receiver] = TIME_WAIT; break;
    default: break;
  }
}

/** A first FIN from `cell`'s side: FIN_WAIT_1, or LAST_ACK when it had already received the peer's FIN. */
export function finSent(states: Uint8Array, cell: number): void {
  const s = states[cell];
  if (s === CLOSE_WAIT) states[cell] = LAST_ACK;
  else if (s !== CLOSED && s !== TIME_WAIT && s !== LAST_ACK && s !== CLOSING) states[cell] = FIN_WAIT_1;
}

/** Whether `cell`'s side answered a SYN and waits for the ACK of its own (SYN_RECEIVED). */
export const inSynReceived = (states: Uint8Array, cell: number): boolean => states[cell] === SYN_RECEIVED;

/** Whether `cell`'s side is in TIME_WAIT (a RST reaching it there: RFC 1337). */
export const inTimeWait = (states: Uint8Array, cell: number): boolean => states[cell] === TIME_WAIT;

/** A RST from either side: both endpoints are gone (RFC 9293 §3.10.7.4, RST processing). */
export function reset(states: Uint8Array, cell: number): void {
  states[cell] = CLOSED;
  states[cell ^ 1] = CLOSED;
}

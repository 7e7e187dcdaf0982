import type { Side, TcpState } from './states.js';
import { otherSide } from './states.js';

/**
 * Both endpoints' states as an observer on the path infers them (SPEC 3).
 *
 * A side's own sending moves it at once (SYN, FIN, RST). What it receives moves it only when
 * its next packet proves the receipt by acknowledging it, except the ACK of its own SYN or FIN,
 * which moves it as the ACK passes: that is how SPEC 3 words it ("the ACK that covers a FIN
 * moves the FIN's sender on ... and the FIN's receiver into CLOSE_WAIT").
 *
 * The rules only: where the two states are kept is up to a subclass (flow/stored.ts keeps them
 * in the connection store's columns).
 */
export abstract class EndpointMachine {
  abstract get(side: Side): TcpState;
  protected abstract set(side: Side, state: TcpState): void;

  get client(): TcpState {
    return this.get('client');
  }

  get server(): TcpState {
    return this.get('server');
  }

  /** The first packet of a connection seen without its SYN: both sides were already talking. */
  startMidstream(): void {
    this.set('client', 'ESTABLISHED');
    this.set('server', 'ESTABLISHED');
  }

  /** A SYN (no ACK) from `side`: it asks to connect; the other side is assumed listening. */
  synSent(side: Side): void {
    if (this.get(side) === 'CLOSED') {
      this.set(side, 'SYN_SENT');
      if (this.get(otherSide(side)) === 'CLOSED') this.set(otherSide(side), 'LISTEN');
    }
  }

  /** A SYN-ACK from `side`: it received the SYN and answers (RFC 9293 §3.5). */
  synAckSent(side: Side): void {
    const s = this.get(side);
    if (s === 'CLOSED' || s === 'LISTEN') this.set(side, 'SYN_RECEIVED');
    if (this.get(otherSide(side)) === 'CLOSED') this.set(otherSide(side), 'SYN_SENT');
  }

  /** `side` acknowledged the other side's SYN: the other side's SYN is answered, both are open. */
  synAcked(side: Side): void {
    const peer = otherSide(side);
    if (this.get(side) === 'SYN_SENT' || this.get(side) === 'SYN_RECEIVED') this.set(side, 'ESTABLISHED');
    if (this.get(peer) === 'SYN_RECEIVED' || this.get(peer) === 'SYN_SENT') this.set(peer, 'ESTABLISHED');
  }

  /**
   * `side` acknowledged the other side's FIN (RFC 9293 §3.10.7.4, FIN processing):
   * the acknowledger has now surely received the FIN, and the FIN's sender learns it was received.
   */
  finAcked(side: Side): void {
    const receiver = side;
    const sender = otherSide(side);
    switch (this.get(sender)) {
      case 'FIN_WAIT_1': this.set(sender, 'FIN_WAIT_2'); break;
      case 'CLOSING': this.set(sender, 'TIME_WAIT'); break;
      case 'LAST_ACK': this.set(sender, 'CLOSED'); break;
      default: break;
    }
    switch (this.get(receiver)) {
      case 'ESTABLISHED': case 'SYN_RECEIVED': case 'SYN_SENT': this.set(receiver, 'CLOSE_WAIT'); break;
      case 'FIN_WAIT_1': this.set(receiver, 'CLOSING'); break;
      case 'FIN_WAIT_2': this.set(receiver, 'TIME_WAIT'); break;
      default: break;
    }
  }

  /** A first FIN from `side`: FIN_WAIT_1, or LAST_ACK when it had already received the peer's FIN. */
  finSent(side: Side): void {
    const s = this.get(side);
    if (s === 'CLOSE_WAIT') this.set(side, 'LAST_ACK');
    else if (s !== 'CLOSED' && s !== 'TIME_WAIT' && s !== 'LAST_ACK' && s !== 'CLOSING') this.set(side, 'FIN_WAIT_1');
  }

  /** A RST from either side: both endpoints are gone (RFC 9293 §3.10.7.4, RST processing). */
  reset(): void {
    this.set('client', 'CLOSED');
    this.set('server', 'CLOSED');
  }
}

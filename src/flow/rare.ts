/**
 * The facts of a connection that few connections ever have: retransmissions nobody answered,
 * probes, a zero window, a SYN or FIN sent again, a RST the receiver could not accept, an ACK of
 * bytes the capture lacks, holes in a side's sequence space (docs/causes.md). Kept in an object
 * made for the connection that has one (ConnectionStore.rareOf, the `hasRare` flag), not in the
 * store's columns: as columns they cost every connection about 100 bytes and their reset on every
 * slot reuse (measured: +20 % memory and +8 % time on the benchmark, where no connection had one).
 * Packet numbers are 0 when not set.
 */
/** A side's holes before it has any (covered.ts replaces the array, never grows this one). */
const NO_HOLES: number[] = [];

export class RareSide {
  /** The SYNs (or SYN-ACKs) it sent, counted from the second on (the first is causeBits.synSeen). */
  synCount = 0;
  /** Its first ACK of bytes of the other side that the capture lacks. */
  ackedUnseenNo = 0;
  /** Its first packet that advertised a zero window. */
  zeroWindowNo = 0;
  /** Its retransmissions since the other side last acknowledged new data: the first, the latest, how many, the first's capture time (seconds). */
  retransFirstNo = 0;
  retransLastNo = 0;
  retransCount = 0;
  retransSince = 0;
  /** Its keep-alive or window probes since the other side last sent a packet: the first, how many. */
  probeFirstNo = 0;
  probeCount = 0;
  /** Its latest RST whose sequence number the receiver could not accept (RFC 5961), until the receiver is seen going on. */
  suspectRstNo = 0;
  /** Its RSTs the receiver ignored (taken off rstNos): the first, how many. */
  ignoredRstNo = 0;
  ignoredRstCount = 0;
  /** The holes of its sequence space below highEnd: [start, end) pairs (covered.ts). */
  holes: number[] = NO_HOLES;
}

export class RareFacts {
  /** The first RST that reached a side in TIME_WAIT. */
  timeWaitRstNo = 0;
  /** The first SYN-ACK sent after the client's handshake ACK. */
  synAckAgainNo = 0;
  readonly sides: readonly [RareSide, RareSide] = [new RareSide(), new RareSide()];
}

/**
 * The facts teardown keeps about every open connection, declared once. Everything else is
 * generated from this list by `npm run generate` (scripts/generate-store.mjs) into
 * store-columns.generated.ts: the store's columns (one typed array a fact, docs/design.md, "The
 * connection store"), their reset when a slot is reused, their growth, the presence bits and list
 * numbers, and the getters through which the stages read a connection (view.ts): `c.client.finNo`,
 * `c.server.rstNos`, `c.sawSyn`. The build fails when the generated file is older than this one.
 *
 * Kinds, and how a view reads them back:
 * - `number`: a plain number of the given column type; reset to 0.
 * - `packet`: a packet number (they count from 1); reset to 0, read as undefined when not set.
 * - `seq`: a 32-bit sequence number; a bit of the side's `sideFlags` says whether it is set.
 * - `time`: a capture time in two columns, NAMESec (whole seconds) and NAMENsec; for a side, a bit
 *   of `sideFlags` says whether it is set, and the view reads an Instant or undefined.
 * - `state`: an endpoint state, an index into TCP_STATES (tcp/states.ts); read as its name.
 * - `flags`: a bit set of the named booleans (u8); each reads as a boolean getter.
 * - `list`: a short list of packet numbers (evidence, bounded by analysis/track.ts): its length and
 *   first item in columns, longer lists in the store's Map; read as an array.
 * - `history`: Zeek's history letters, as a mask and a sequence (flow/history.ts); read as text.
 */
export type ColumnType = 'u8' | 'u16' | 'u32' | 'i32' | 'f32' | 'f64';

export type FactKind = 'number' | 'packet' | 'seq' | 'time' | 'state' | 'flags' | 'list' | 'history';

export interface Fact {
  readonly name: string;
  readonly kind: FactKind;
  /** Per connection, or one for each side (client, server). */
  readonly per: 'connection' | 'side';
  /** The column type, for `number`. */
  readonly type?: ColumnType;
  /** The booleans of a `flags` fact, lowest bit first. */
  readonly bits?: readonly string[];
  /** No getter: the fact is read by the code that keeps it (the store, the slot index, history.ts). */
  readonly internal?: boolean;
  /**
   * Written whenever a connection is created (flow/table.ts, create), so a reused slot need not
   * reset it. (Nor is a `seq` fact or a side's `time` reset: its presence bit is, and it is read
   * only when the bit is set.) Resetting every column measured about 75 ms more on the benchmark's
   * 210,000 connections: most are never written for most connections, and resetting them touched
   * their pages.
   */
  readonly setOnCreate?: boolean;
  readonly doc: string;
}

export const CONNECTION_FACTS: readonly Fact[] = [
  { name: 'active', kind: 'number', type: 'u8', per: 'connection', internal: true, doc: '1 while the slot holds an open connection.' },
  { name: 'id', kind: 'number', setOnCreate: true, type: 'i32', per: 'connection', doc: 'The connection number: 1, 2, 3 ... in order of first packet.' },
  { name: 'clientAddr', kind: 'number', setOnCreate: true, type: 'i32', per: 'connection', internal: true, doc: "The client's IPv4 address as a 32-bit integer (an address kept as text: the Extra)." },
  { name: 'serverAddr', kind: 'number', setOnCreate: true, type: 'i32', per: 'connection', internal: true, doc: "The server's IPv4 address, likewise." },
  { name: 'clientPort', kind: 'number', setOnCreate: true, type: 'u16', per: 'connection', internal: true, doc: "The client's port." },
  { name: 'serverPort', kind: 'number', setOnCreate: true, type: 'u16', per: 'connection', internal: true, doc: "The server's port." },
  { name: 'firstPacket', kind: 'number', setOnCreate: true, type: 'f64', per: 'connection', doc: "The connection's first packet number." },
  { name: 'lastPacket', kind: 'number', setOnCreate: true, type: 'f64', per: 'connection', doc: 'Its latest packet number.' },
  { name: 'start', kind: 'time', per: 'connection', setOnCreate: true, doc: "The first packet's capture time." },
  { name: 'end', kind: 'time', per: 'connection', setOnCreate: true, doc: "The latest packet's capture time." },
  { name: 'refusedNo', kind: 'packet', per: 'connection', doc: 'The RST that answered the first SYN before any SYN-ACK: a refused connect().' },
  {
    name: 'flags', kind: 'flags', per: 'connection',
    bits: ['sawSyn', 'sawSynAck', 'sawHandshakeAck', 'portReused', 'textIds', 'hasExtra', 'endedSeen', 'hasRare'],
    doc: 'Handshake packets seen (client SYN, server SYN-ACK, the ACK of it); a reused 4-tuple; addresses kept as text (IPv6); an Extra kept; its end reported; a RareFacts kept (rare.ts).',
  },
  // What the causes read (analysis/causes.ts). A packet number kept as a u32 number is 0 when not set.
  // Facts that few connections ever have (retransmissions, probes, zero windows ...) are not
  // columns: they live in a RareFacts object made for the connection that has one (rare.ts).
  { name: 'silence', kind: 'number', type: 'f64', per: 'connection', doc: 'The longest silence between two of its packets, in seconds.' },
  { name: 'silenceEndNo', kind: 'number', type: 'u32', per: 'connection', doc: 'The packet that ended that silence (0: none).' },
  { name: 'sinceSilence', kind: 'number', type: 'u8', per: 'connection', doc: 'Its packets after that silence, up to 255: an ending soon after it follows from it.' },
  { name: 'history', kind: 'history', per: 'connection', doc: "Zeek's history letters (one each, in order of first appearance; client upper case)." },

  { name: 'state', kind: 'state', per: 'side', doc: "The endpoint's TCP state after the latest packet." },
  { name: 'base', kind: 'seq', per: 'side', doc: "Wireshark's base sequence number (relative numbers start here; the port-reuse rule compares a SYN with it)." },
  { name: 'isn', kind: 'seq', per: 'side', doc: 'The initial sequence number of its first SYN (or SYN-ACK).' },
  { name: 'finSeq', kind: 'seq', per: 'side', doc: 'The sequence number of its first FIN.' },
  { name: 'finEnd', kind: 'seq', per: 'side', doc: 'What an ACK must reach to cover that FIN: its sequence number + payload + 1.' },
  { name: 'highEnd', kind: 'seq', per: 'side', doc: 'The highest sequence end of its payload.' },
  { name: 'trailingEnd', kind: 'seq', per: 'side', doc: 'The sequence end of its trailing data until an ACK covers it.' },
  { name: 'fin', kind: 'time', per: 'side', doc: 'The time of its first FIN.' },
  { name: 'finAck', kind: 'time', per: 'side', doc: 'The time of the first ACK that covered its FIN.' },
  { name: 'synNo', kind: 'packet', per: 'side', doc: 'Its first SYN (or SYN-ACK).' },
  { name: 'finNo', kind: 'packet', per: 'side', doc: 'Its first FIN.' },
  { name: 'finAckNo', kind: 'packet', per: 'side', doc: "The other side's first packet whose ACK covered this side's FIN." },
  { name: 'bytes', kind: 'number', type: 'f64', per: 'side', doc: 'Payload bytes it sent, each byte counted once (retransmissions do not add).' },
  { name: 'bytesAfterPeerFin', kind: 'number', type: 'f64', per: 'side', doc: "Payload bytes it sent after the other side's FIN." },
  { name: 'trailingBytes', kind: 'number', type: 'f64', per: 'side', doc: "Payload bytes it sent that acknowledge the other side's first FIN: data sent after that FIN arrived." },
  { name: 'lastAck', kind: 'seq', per: 'side', doc: 'The acknowledgement number of its latest ACK.' },
  { name: 'lastNo', kind: 'number', type: 'u32', per: 'side', doc: 'Its latest packet other than a RST (0: none).' },
  { name: 'ttlMin', kind: 'number', type: 'u8', per: 'side', doc: 'The lowest TTL (hop limit) of its packets other than RSTs; set once lastNo is.' },
  { name: 'ttlMax', kind: 'number', type: 'u8', per: 'side', doc: 'The highest, likewise.' },
  { name: 'rstTtl', kind: 'number', type: 'u8', per: 'side', doc: 'The TTL of its first accepted RST.' },
  { name: 'finAgainNo', kind: 'number', type: 'u32', per: 'side', doc: 'Its latest retransmitted FIN (0: none): common enough (a tail-loss probe) to be a column.' },
  {
    name: 'causeBits', kind: 'flags', per: 'side',
    bits: ['synSeen', 'windowClosed', 'finInferred', 'rstBare', 'probing', 'suspectRst', 'retransmitting', 'hasHoles'],
    doc: "It sent a SYN; its latest window is 0; its FIN is known only from the other side's ACK of it (finNo is that ACK); its first accepted RST had no ACK flag; and whether its RareFacts side (rare.ts) has unanswered probes, an unacceptable RST, unanswered retransmissions, holes in its sequence space.",
  },
  { name: 'rstNos', kind: 'list', per: 'side', doc: 'The RSTs it sent (the first few).' },
  { name: 'dataAfterPeerFin', kind: 'list', per: 'side', doc: "Its packets with payload after the other side's FIN (the first few)." },
  { name: 'trailingNos', kind: 'list', per: 'side', doc: 'Its packets with trailing data (the first few).' },
];

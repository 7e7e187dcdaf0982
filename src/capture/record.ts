/**
 * One record of a capture, as every reader (pcap, pcapng, stdin, live) yields it.
 * `data` is a view into the reader's buffer: valid only until the callback returns.
 */
export interface CaptureRecord {
  /** Record number in the capture, counting every packet record from 1 (Wireshark's frame number). */
  no: number;
  /** Byte offset of the record's header in the input. */
  offset: number;
  /** Link-layer header type of the interface the record came from (pcap LINKTYPE_*). */
  linkType: number;
  /** Capture time: whole seconds since the epoch, and nanoseconds within that second (exact). */
  tsSec: number;
  tsNsec: number;
  /** Bytes captured (`data.length`) and the packet's length on the wire. */
  caplen: number;
  origLen: number;
  data: Uint8Array;
  /**
   * The same bytes as `bytes[at .. at + caplen]`, when a reader gives them that way: the buffer the
   * record lies in, not a view made for it (the fast decoder reads there; `data` is made on demand).
   */
  bytes?: Uint8Array;
  at?: number;
  /**
   * Where the record came from, for a writer that copies it (capture/pcapng-write.ts): its
   * interface's index among every interface the capture described (pcap: 0; pcapng: counted over
   * all sections, in order), and, for pcapng, its timestamp as the file holds it (the two 32-bit
   * halves of its ticks, before if_tsoffset; -1 for a simple packet block, which has none).
   */
  iface?: number;
  tsHigh?: number;
  tsLow?: number;
}

/**
 * An interface a capture describes (pcap: its file header; pcapng: an IDB, pcapng §4.2): what a
 * writer needs to give its packets the same link type, snap length and timestamps.
 */
export interface CaptureInterface {
  linkType: number;
  snaplen: number;
  /** The if_tsresol byte (pcapng §4.2): 6 microseconds (pcap, and pcapng's default), 9 nanoseconds, or another power of 10 or 2. */
  tsresol: number;
  /** if_tsoffset: seconds added to every timestamp (0 when absent). */
  tsoffset: number;
}

/** What a reader learnt about the capture as a whole. */
export interface CaptureInfo {
  format: 'pcap' | 'pcapng';
  /** Link types seen (pcap: one; pcapng: one per interface), in order of first appearance, no repeats. */
  linkTypes: number[];
  /** pcapng interface-statistics end time (isb_endtime), the latest one seen, when present. */
  endTime?: { sec: number; nsec: number };
  /**
   * Packets the capturing host dropped, by its own count: the pcapng interface statistics
   * (isb_ifdrop + isb_osdrop of each interface's latest ISB), summed over interfaces; absent when
   * no ISB says.
   */
  dropped?: number;
  /** The captures read as one, when there were several (docs/contract.md, "Several captures"). */
  files?: string[];
}

/** A damaged record: reading stopped there; everything before it was delivered. */
export interface CaptureDamage {
  file: string;
  offset: number;
  /** The record number the damaged record would have had. */
  packet: number;
  message: string;
}

/**
 * Why a capture file could not be opened or was empty, as data: the CLI words it in the language
 * in force (the capture layer has no words but English messages of its own).
 */
export type UnreadableReason =
  | { kind: 'no-such-file' | 'directory' | 'permission-denied' | 'empty'; path: string }
  | { kind: 'no-tcpdump'; tcpdump: string }
  /** A filter tcpdump refused on `path` (`stdin`); `detail`: tcpdump's words. */
  | { kind: 'bad-filter'; filter: string; path: string; detail: string };

/** The input cannot be read as a capture at all (missing, not a capture, unsupported): exit 2. */
export class UnreadableCaptureError extends Error {
  constructor(message: string, readonly reason?: UnreadableReason) {
    super(message);
    this.name = 'UnreadableCaptureError';
  }
}

/**
 * The bytes under the capture broke off (a gzip stream cut short or corrupt): damage at the point
 * reached, as a record cut short is (docs/contract.md, "Damaged input"), not an unreadable file.
 */
export class InputBrokeOffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputBrokeOffError';
  }
}

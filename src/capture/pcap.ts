/**
 * Classic pcap (draft-ietf-opsawg-pcap): a 24-byte file header, then records of a 16-byte header
 * (seconds, micro- or nanoseconds, captured length, original length) and the captured bytes.
 * Also Alexey Kuznetzov's "modified" pcap (magic a1b2cd34), whose record headers carry 8 more bytes
 * (ifindex, protocol, packet type, padding).
 */
import type { CaptureInfo, CaptureInterface, CaptureRecord } from './record.js';
import { blankRecord, type Bytes, type FormatReader, type RecordView } from './format.js';

/** Captured lengths above this are damage whatever the snaplen says (Wireshark's standard maximum). */
export const PCAP_MAX_CAPLEN = 262144;
/** Hard ceiling for files that announce a larger snaplen: never allocate from an untrusted length. */
const PCAP_CEILING = 16 * 1024 * 1024;
const FILE_HEADER = 24;

export interface PcapVariant {
  littleEndian: boolean;
  nano: boolean;
  modified: boolean;
}

/** Which pcap flavour a magic number read big-endian names, or undefined. */
export function pcapVariant(magicBE: number): PcapVariant | undefined {
  switch (magicBE) {
    case 0xa1b2c3d4: return { littleEndian: false, nano: false, modified: false };
    case 0xd4c3b2a1: return { littleEndian: true, nano: false, modified: false };
    case 0xa1b23c4d: return { littleEndian: false, nano: true, modified: false };
    case 0x4d3cb2a1: return { littleEndian: true, nano: true, modified: false };
    case 0xa1b2cd34: return { littleEndian: false, nano: false, modified: true };
    case 0x34cdb2a1: return { littleEndian: true, nano: false, modified: true };
    default: return undefined;
  }
}

export class PcapReader implements FormatReader {
  info: CaptureInfo | undefined;
  readonly interfaces: CaptureInterface[] = [];
  private readonly le: boolean;
  private readonly nano: boolean;
  private readonly recordHeader: number;
  private maxCaplen = PCAP_MAX_CAPLEN;
  private snaplen = 0;
  private linkType = 0;
  private readonly record: RecordView = blankRecord();

  constructor(variant: PcapVariant) {
    this.le = variant.littleEndian;
    this.nano = variant.nano;
    this.recordHeader = variant.modified ? 24 : 16;
  }

  unitLength(b: Bytes, start: number, avail: number): number | string {
    if (this.info === undefined) return FILE_HEADER;
    if (avail < this.recordHeader) return this.recordHeader;
    const caplen = b.dv.getUint32(start + 8, this.le);
    if (caplen > this.maxCaplen) {
      return `record header says ${caplen} captured bytes, more than the ${this.maxCaplen} allowed (snaplen ${this.snaplen})`;
    }
    return this.recordHeader + caplen;
  }

  parseUnit(b: Bytes, start: number, length: number, offset: number, emit: (r: CaptureRecord) => void): string | undefined {
    if (this.info === undefined) return this.readFileHeader(b.dv, start);
    this.deliver(b, start, length - this.recordHeader, offset, emit);
    return undefined;
  }

  /**
   * Most of a chunk is whole records: this reads them in one loop, where a record at a time through
   * the parser's unitLength and parseUnit costs several calls and checks more. It stops before a
   * record cut short by `end` or whose length is damage, which the parser then carries or reports.
   */
  readRecords(b: Bytes, start: number, end: number, offset: number, emit: (r: CaptureRecord) => void): number {
    if (this.info === undefined) return start;
    const dv = b.dv;
    const le = this.le;
    const header = this.recordHeader;
    const maxCaplen = this.maxCaplen;
    let pos = start;
    while (end - pos >= header) {
      const caplen = dv.getUint32(pos + 8, le);
      if (caplen > maxCaplen || end - pos - header < caplen) break;
      this.deliver(b, pos, caplen, offset + (pos - start), emit);
      pos += header + caplen;
    }
    return pos;
  }

  private readFileHeader(dv: DataView, start: number): string | undefined {
    const major = dv.getUint16(start + 4, this.le);
    const minor = dv.getUint16(start + 6, this.le);
    if (major !== 2) return `unsupported pcap version ${major}.${minor} (expected 2.x)`;
    this.snaplen = dv.getUint32(start + 16, this.le);
    // The upper bits of the link-type field carry the FCS length (pcap §4, LinkType and
    // additional information); libpcap's LT_LINKTYPE masks them off the same way.
    this.linkType = dv.getUint32(start + 20, this.le) & 0x03ffffff;
    this.maxCaplen = Math.max(PCAP_MAX_CAPLEN, Math.min(this.snaplen, PCAP_CEILING));
    this.info = { format: 'pcap', linkTypes: [this.linkType] };
    this.interfaces.push({ linkType: this.linkType, snaplen: this.snaplen, tsresol: this.nano ? 9 : 6, tsoffset: 0 });
    return undefined;
  }

  /** The record whose header is at `start` (`offset` in the input), its length already checked. */
  private deliver(b: Bytes, start: number, caplen: number, offset: number, emit: (r: CaptureRecord) => void): void {
    const dv = b.dv;
    const r = this.record;
    let sec = dv.getUint32(start, this.le);
    const frac = dv.getUint32(start + 4, this.le);
    // A fraction of a second >= 1 s is out of range; carry it into the seconds rather than fail.
    const perSec = this.nano ? 1e9 : 1e6;
    let nsec = frac;
    if (frac >= perSec) {
      sec += Math.floor(frac / perSec);
      nsec = frac % perSec;
    }
    r.offset = offset;
    r.linkType = this.linkType;
    r.tsSec = sec;
    r.tsNsec = this.nano ? nsec : nsec * 1000;
    r.origLen = dv.getUint32(start + 12, this.le);
    r.place(b.u8, start + this.recordHeader, caplen);
    emit(r);
  }

  cutShort(b: Bytes, start: number, avail: number): string {
    if (avail < this.recordHeader) {
      return `record cut short: ${avail} bytes left, less than a ${this.recordHeader}-byte record header`;
    }
    const caplen = b.dv.getUint32(start + 8, this.le);
    return `record cut short: header says ${caplen} bytes, ${avail - this.recordHeader} left`;
  }
}

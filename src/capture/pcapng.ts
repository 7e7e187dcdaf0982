/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks `type, total length, body, total length`,
 * in sections that each start with a Section Header Block fixing the byte order and resetting the
 * interface list. Packet records come from EPB (§4.3), SPB (§4.4) and the obsolete OPB (appendix A);
 * IDB (§4.2) gives each interface its link type and timestamp units; ISB (§4.6) may give the time the
 * capture ended. Other blocks are skipped.
 */
import type { CaptureInfo, CaptureInterface, CaptureRecord } from './record.js';
import { blankRecord, type Bytes, type FormatReader, type RecordView } from './format.js';
import { MICROSECONDS, resolutionOf, ticksToTime, type Resolution, type TimeOut } from './timestamp.js';

export const SHB_TYPE = 0x0a0d0d0a;
export const IDB = 1;
const OPB = 2;
const SPB = 3;
export const ISB = 5;
export const EPB = 6;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Option codes, read here and written by pcapng-write.ts: opt_comment (§3.5), shb_userappl (§4.1). */
export const OPT_COMMENT = 1;
export const SHB_USERAPPL = 4;
/** if_tsresol and if_tsoffset (§4.2). */
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
/** isb_endtime, isb_ifdrop and isb_osdrop (§4.6). */
export const ISB_ENDTIME = 3;
export const ISB_IFDROP = 5;
export const ISB_OSDROP = 7;
/** Blocks larger than this are damage (Wireshark's limit for a single block is the same order). */
export const MAX_BLOCK = 16 * 1024 * 1024;

interface Interface extends CaptureInterface {
  resolution: Resolution;
  /** Its index in `interfaces`, over all sections. */
  no: number;
}

/** Minimum total length of each block type we read (12 bytes of framing plus the fixed fields). */
const MIN_LENGTH: Record<number, number> = { [SHB_TYPE]: 28, [IDB]: 20, [OPB]: 32, [SPB]: 16, [ISB]: 24, [EPB]: 32 };
const BLOCK_NAME: Record<number, string> = {
  [SHB_TYPE]: 'section header', [IDB]: 'interface description', [OPB]: 'packet', [SPB]: 'simple packet',
  [ISB]: 'interface statistics', [EPB]: 'enhanced packet',
};

export class PcapngReader implements FormatReader {
  info: CaptureInfo | undefined;
  /** Byte order of the current section. */
  private le = true;
  /** The current section's interfaces (a packet block's interface id indexes them). */
  private section: Interface[] = [];
  /** Every section's interfaces, in order: a record's `iface`. */
  readonly interfaces: Interface[] = [];
  private readonly record: RecordView = blankRecord();
  private readonly endTime: TimeOut = { tsSec: 0, tsNsec: 0 };
  /**
   * The link types in info.linkTypes, for a constant-time look-up: a search of the list for each
   * interface block made a capture of a million blocks with distinct link types quadratic
   * (docs/performance.md, "Hostile input").
   */
  private readonly linkTypesSeen = new Set<number>();
  /** Each interface's latest drop count (readStatistics). */
  private readonly drops = new Map<number, number>();

  unitLength(b: Bytes, start: number, avail: number): number | string {
    if (avail < 8) return 8;
    const dv = b.dv;
    let le = this.le;
    if (dv.getUint32(start, false) === SHB_TYPE) {
      if (avail < 12) return 12;
      const bom = dv.getUint32(start + 8, false);
      if (bom === BYTE_ORDER_MAGIC) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else return `section header byte-order magic is ${hex32(bom)}, expected 1a2b3c4d in either byte order`;
    } else if (this.info === undefined) {
      return 'pcapng file does not start with a section header block';
    }
    const length = dv.getUint32(start + 4, le);
    if (length < 12) return `block total length ${length} is less than 12`;
    if (length % 4 !== 0) return `block total length ${length} is not a multiple of 4`;
    if (length > MAX_BLOCK) return `block total length ${length} is more than ${MAX_BLOCK} (16 MiB)`;
    return length;
  }

  parseUnit(b: Bytes, start: number, length: number, offset: number, emit: (r: CaptureRecord) => void): string | undefined {
    const dv = b.dv;
    const isSection = dv.getUint32(start, false) === SHB_TYPE;
    if (isSection) this.le = dv.getUint32(start + 8, false) !== BYTE_ORDER_MAGIC;
    const le = this.le;
    const type = isSection ? SHB_TYPE : dv.getUint32(start, le);
    const trailer = dv.getUint32(start + length - 4, le);
    if (trailer !== length) return `block trailing length ${trailer} does not match its leading length ${length}`;
    const min = MIN_LENGTH[type];
    if (min !== undefined && length < min) return `${BLOCK_NAME[type] ?? 'a'} block too short (${length} bytes)`;
    switch (type) {
      case SHB_TYPE: {
        const major = dv.getUint16(start + 12, le);
        if (major !== 1) return `unsupported pcapng version ${major}.${dv.getUint16(start + 14, le)} (expected 1.x)`;
        this.section = [];
        this.info ??= { format: 'pcapng', linkTypes: [] };
        return undefined;
      }
      case IDB:
        return this.readInterface(b, start, length);
      case EPB:
      case OPB: {
        // Same layout; the OPB's interface id is 16 bits, followed by a 16-bit drop count.
        const id = type === EPB ? dv.getUint32(start + 8, le) : dv.getUint16(start + 8, le);
        const caplen = dv.getUint32(start + 20, le);
        if (caplen > length - 32) return `packet block says ${caplen} captured bytes, but the block holds ${length - 32}`;
        return this.deliver(b, id, dv.getUint32(start + 12, le), dv.getUint32(start + 16, le), start + 28, caplen,
          dv.getUint32(start + 24, le), offset, emit);
      }
      case SPB: {
        // §4.4: no interface id (always the first) and no timestamp; we give it time 0.
        const origLen = dv.getUint32(start + 8, le);
        const iface = this.section[0];
        let caplen = Math.min(origLen, length - 16);
        if (iface !== undefined && iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
        return this.deliver(b, 0, undefined, 0, start + 12, caplen, origLen, offset, emit);
      }
      case ISB:
        this.readStatistics(b, start, length);
        return undefined;
      default:
        return undefined;
    }
  }

  /** Blocks of several kinds, each checked as a whole: all go a unit at a time. */
  readRecords(_b: Bytes, start: number): number {
    return start;
  }

  cutShort(b: Bytes, start: number, avail: number): string {
    if (avail < 8) return `record cut short: ${avail} bytes left, less than an 8-byte block header`;
    const length = this.unitLength(b, start, avail);
    return typeof length === 'number' && length > avail
      ? `record cut short: header says ${length} bytes, ${avail} left`
      : `record cut short: ${avail} bytes left`;
  }

  /** `hi` undefined: no timestamp (SPB), time 0. */
  private deliver(b: Bytes, id: number, hi: number | undefined, lo: number, dataStart: number, caplen: number,
    origLen: number, offset: number, emit: (r: CaptureRecord) => void): string | undefined {
    const iface = this.section[id];
    if (iface === undefined) {
      const n = this.section.length;
      return `packet on interface ${id}, but this section describes ${n} interface${n === 1 ? '' : 's'}`;
    }
    const r = this.record;
    r.offset = offset;
    r.linkType = iface.linkType;
    if (hi === undefined) {
      r.tsSec = 0;
      r.tsNsec = 0;
      r.origin(iface.no, -1, -1);
    } else {
      ticksToTime(hi, lo, iface.resolution, iface.tsoffset, r);
      r.origin(iface.no, hi, lo);
    }
    r.origLen = origLen;
    r.place(b.u8, dataStart, caplen);
    emit(r);
    return undefined;
  }

  private readInterface(b: Bytes, start: number, length: number): string | undefined {
    const dv = b.dv;
    const iface: Interface = {
      linkType: dv.getUint16(start + 8, this.le),
      snaplen: dv.getUint32(start + 12, this.le),
      resolution: MICROSECONDS,
      tsresol: 6,
      tsoffset: 0,
      no: this.interfaces.length,
    };
    forEachOption(b, start + 16, start + length - 4, this.le, (code, at, len) => {
      if (code === IF_TSRESOL && len >= 1) {
        iface.tsresol = dv.getUint8(at);
        iface.resolution = resolutionOf(iface.tsresol);
      }
      if (code === IF_TSOFFSET && len >= 8) iface.tsoffset = Number(dv.getBigInt64(at, this.le));
    });
    this.section.push(iface);
    this.interfaces.push(iface);
    if (this.info !== undefined && !this.linkTypesSeen.has(iface.linkType)) {
      this.linkTypesSeen.add(iface.linkType);
      this.info.linkTypes.push(iface.linkType); // in order of first appearance
    }
    return undefined;
  }

  /**
   * isb_endtime (option 3): the latest one becomes info.endTime. isb_ifdrop (5) and isb_osdrop (7):
   * an interface's latest counts (they are totals since its start) become its share of info.dropped.
   */
  private readStatistics(b: Bytes, start: number, length: number): void {
    const dv = b.dv;
    const ifaceNo = dv.getUint32(start + 8, this.le);
    const iface = this.section[ifaceNo];
    const info = this.info;
    if (iface === undefined || info === undefined) return;
    let drops: number | undefined;
    forEachOption(b, start + 20, start + length - 4, this.le, (code, at, len) => {
      if ((code === ISB_IFDROP || code === ISB_OSDROP) && len === 8) drops = (drops ?? 0) + Number(dv.getBigUint64(at, this.le));
      if (code !== ISB_ENDTIME || len !== 8) return;
      const t = this.endTime;
      ticksToTime(dv.getUint32(at, this.le), dv.getUint32(at + 4, this.le), iface.resolution, iface.tsoffset, t);
      const prev = info.endTime;
      if (prev === undefined || t.tsSec > prev.sec || (t.tsSec === prev.sec && t.tsNsec > prev.nsec)) {
        info.endTime = { sec: t.tsSec, nsec: t.tsNsec };
      }
    });
    if (drops !== undefined) {
      this.drops.set(ifaceNo, drops);
      let total = 0;
      for (const n of this.drops.values()) total += n;
      info.dropped = total;
    }
  }
}

/**
 * Walks the options between `from` and `end` (pcapng §3.5: code, length, value padded to 4 bytes),
 * stopping at opt_endofopt or at an option that would run past the block. Damaged options are not
 * damage to the capture: the packets are still good.
 */
function forEachOption(b: Bytes, from: number, end: number, le: boolean, f: (code: number, at: number, len: number) => void): void {
  let pos = from;
  while (pos + 4 <= end) {
    const code = b.dv.getUint16(pos, le);
    const len = b.dv.getUint16(pos + 2, le);
    if (code === 0 || pos + 4 + len > end) return;
    f(code, pos + 4, len);
    pos += 4 + ((len + 3) & ~3);
  }
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

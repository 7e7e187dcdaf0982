/**
 * The decoding stage: one capture record in, one TCP segment (or the code of the reason it is not
 * one) out, never throwing on packet data. Each layer (link.ts, ip.ts, tcp.ts) reads its header in
 * place, with offsets into the record's bytes, and hands its findings down through one reused
 * Frame; the segment is one reused object too, so decoding a record allocates nothing.
 */
import type { CaptureRecord } from '../capture/record.js';
import { Frame } from './frame.js';
import { ipLayer, ipv4Text, ipv6Text } from './ip.js';
import { linkLayer } from './link.js';
import { Reassembler } from './fragments.js';
import type { SkipReason, TcpOption, TcpSegment, Via } from './segment.js';
import { TUNNEL_TYPES } from './segment.js';
import { type SkipCode, skipDetail, skipReason } from './skips.js';
import { decodeOptions, tcpLayer } from './tcp.js';
import type { RefusedHeader } from './refused.js';
import { readRefused } from './refused.js';
import { MAX_TUNNEL_DEPTH, tunnelLayer } from './tunnel.js';

const NO_BYTES = new Uint8Array(0);

/**
 * A borrowed TcpSegment whose addresses and options are read from the record's bytes only when
 * asked for, and then once. It reads `data`, a view into the reader's buffer: use it (and read
 * `src`, `dst`, `options`) only during the record's callback, and copy what must outlive it.
 */
export class DecodedSegment implements TcpSegment {
  no = 0;
  tsSec = 0;
  tsNsec = 0;
  ipVersion: 4 | 6 = 4;
  srcV4: number | undefined = 0;
  dstV4: number | undefined = 0;
  srcPort = 0;
  dstPort = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  urgent = 0;
  payloadLen = 0;
  ttl = 0;
  headerCut = false;
  unmeasured = false;
  private data: Uint8Array = NO_BYTES;
  private srcAt = 0;
  private dstAt = 0;
  private optFrom = 0;
  private optEnd = 0;
  private srcText: string | undefined;
  private dstText: string | undefined;
  private opts: TcpOption[] | undefined;
  private viaType = 0;
  private viaId = -1;
  private viaVersion: 4 | 6 = 4;
  private viaBytes: Uint8Array = NO_BYTES;
  private viaSrcAt = 0;
  private viaDstAt = 0;
  private viaValue: Via | undefined;

  get src(): string {
    return (this.srcText ??= this.ipVersion === 4 ? ipv4Text(this.data, this.srcAt) : ipv6Text(this.data, this.srcAt));
  }

  get dst(): string {
    return (this.dstText ??= this.ipVersion === 4 ? ipv4Text(this.data, this.dstAt) : ipv6Text(this.data, this.dstAt));
  }

  get options(): TcpOption[] {
    return (this.opts ??= this.optEnd > this.optFrom ? decodeOptions(this.data, this.optFrom, this.optEnd, this.headerCut) : []);
  }

  get via(): Via | undefined {
    if (this.viaType === 0) return undefined;
    if (this.viaValue !== undefined) return this.viaValue;
    const text = this.viaVersion === 4 ? ipv4Text : ipv6Text;
    const outer = { src: text(this.viaBytes, this.viaSrcAt), dst: text(this.viaBytes, this.viaDstAt) };
    const type = TUNNEL_TYPES[this.viaType - 1] ?? 'ip-in-ip';
    return (this.viaValue = this.viaId === -1 ? { type, outer } : { type, id: this.viaId, outer });
  }

  /** Points the segment at the bytes its addresses and options are read from, on demand. */
  point(f: Frame): void {
    // Like RecordView.place: a new buffer comes with a chunk, not with each record.
    if (f.bytes !== this.data) this.data = f.bytes;
    this.srcAt = f.srcAt;
    this.dstAt = f.dstAt;
    this.optFrom = f.optFrom;
    this.optEnd = f.optEnd;
    this.srcText = undefined;
    this.dstText = undefined;
    this.opts = undefined;
    this.viaType = f.viaType;
    if (f.viaType !== 0) {
      this.viaId = f.viaId;
      this.viaVersion = f.viaVersion;
      this.viaBytes = f.viaBytes;
      this.viaSrcAt = f.viaSrcAt;
      this.viaDstAt = f.viaDstAt;
      this.viaValue = undefined;
    }
  }
}

export interface DecoderOptions {
  /** Open tunnels (tunnel.ts); false: `--no-tunnels`, a tunnel's packets are counted as their outer protocol. */
  tunnels?: boolean;
  /** UDP ports read as VXLAN besides 4789 (`--vxlan-port`). */
  vxlanPorts?: readonly number[];
}

/**
 * Decodes records into one reused DecodedSegment. `decode` returns undefined when the record is a
 * TCP segment (now in `segment`), else the reason it is not one (and `skipDetail()` says more).
 */
export class SegmentDecoder {
  readonly segment = new DecodedSegment();
  private readonly frame = new Frame();
  private skipped: SkipCode | undefined;
  private readonly tunnels: boolean;
  private readonly vxlanPorts: ReadonlySet<number> | undefined;
  /** Fragments held until their datagram is whole (fragments.ts); its counts go into the report. */
  readonly fragments = new Reassembler();
  /** How far the last refused TCP header could be read (readRefused), reused from record to record. */
  readonly refused: RefusedHeader = { readable: 0, ipLength: 0, dataOffset: 0, fragment: false };

  constructor(opts: DecoderOptions = {}) {
    this.tunnels = opts.tunnels !== false;
    this.vxlanPorts = opts.vxlanPorts !== undefined && opts.vxlanPorts.length > 0 ? new Set(opts.vxlanPorts) : undefined;
  }

  decode(r: CaptureRecord): SkipReason | undefined {
    const code = this.read(r);
    this.skipped = code;
    return code === undefined ? undefined : skipReason(code);
  }

  /** What the last record's skip reason leaves out (which header was cut, which protocol it was). */
  skipDetail(): string | undefined {
    const code = this.skipped;
    return code === undefined ? undefined : skipDetail(code, this.frame.a, this.frame.b);
  }

  /**
   * After `decode` said record `r` (the last one) is no segment because the TCP layer refused its
   * header: whether tshark would still show a TCP row for it, its ports being there (refused.ts).
   * Then `segment` holds what the header gives, and `refused` how far it could be read. Only a
   * refused record pays for this.
   */
  readRefused(r: CaptureRecord): boolean {
    const code = this.skipped;
    if (code !== 'tcp-cut' && code !== 'tcp-data-offset' && code !== 'tcp-header-length') return false;
    if (!readRefused(this.frame, this.segment, this.refused)) return false;
    this.fill(r);
    return true;
  }

  private read(r: CaptureRecord): SkipCode | undefined {
    const f = this.frame;
    f.point(r);
    const skipped = linkLayer(f, r.linkType) ?? ipLayer(f) ?? tcpLayer(f, this.segment);
    // A plain TCP packet pays this one test: fragments and tunnels are read only past it.
    if (skipped !== undefined) {
      const deeper = this.deeper(f, skipped, r.tsSec);
      if (deeper !== undefined) return deeper;
    }
    this.fill(r);
    return undefined;
  }

  /** The segment's record, time and addresses, from the frame the layers left. */
  private fill(r: CaptureRecord): void {
    const f = this.frame;
    const s = this.segment;
    s.no = r.no;
    s.tsSec = r.tsSec;
    s.tsNsec = r.tsNsec;
    s.ipVersion = f.ipVersion;
    // TTL: 4 bytes before the IPv4 source address; hop limit: the byte before the IPv6 one.
    s.ttl = f.bytes[f.ipVersion === 4 ? f.srcAt - 4 : f.srcAt - 1] as number;
    // A tunnel's segment is keyed with its tunnel (flow/key.ts), so not by the integer addresses.
    if (f.ipVersion === 4 && f.viaType === 0) {
      s.srcV4 = f.view.getInt32(f.srcAt);
      s.dstV4 = f.view.getInt32(f.dstAt);
    } else {
      s.srcV4 = undefined;
      s.dstV4 = undefined;
    }
    s.point(f);
  }

  /**
   * Past a record that is not plain TCP: a fragment goes to the reassembler, and a whole datagram
   * (when it completes one) is decoded again from its IP header; a tunnel's packet is decoded
   * again from its inner header. Each round moves inwards, and the rounds are bounded.
   */
  private deeper(f: Frame, first: SkipCode, sec: number): SkipCode | undefined {
    const s = this.segment;
    let code: SkipCode | undefined = first;
    for (let round = 0; code !== undefined; round++) {
      if (round > MAX_TUNNEL_DEPTH) return 'tunnel-depth';
      if (code === 'ipv4-fragment' || code === 'ipv6-fragment') {
        const whole = this.fragments.add(f, sec);
        if (whole === undefined) return code;
        f.pointAtDatagram(whole);
      } else if (code === 'not-tcp' && this.tunnels) {
        const inner = tunnelLayer(f, this.vxlanPorts);
        if (inner !== undefined) return inner;
      } else {
        return code;
      }
      code = ipLayer(f) ?? tcpLayer(f, s);
    }
    return undefined;
  }
}

/**
 * The decoding stage as a pure function, for the library and tests: SegmentDecoder's answer for
 * one record, copied out of its borrowed segment into a value the caller keeps.
 */
import type { CaptureRecord } from '../capture/record.js';
import { SegmentDecoder } from './decoder.js';
import type { DecodeResult } from './segment.js';

export function decode(record: CaptureRecord): DecodeResult {
  // A decoder per call: it would otherwise hold the last record's buffer alive.
  const decoder = new SegmentDecoder();
  const reason = decoder.decode(record);
  if (reason !== undefined) return { kind: 'skipped', reason, detail: decoder.skipDetail() ?? '' };
  const s = decoder.segment;
  return {
    kind: 'tcp',
    segment: {
      no: s.no,
      tsSec: s.tsSec,
      tsNsec: s.tsNsec,
      ipVersion: s.ipVersion,
      src: s.src,
      dst: s.dst,
      srcPort: s.srcPort,
      dstPort: s.dstPort,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      window: s.window,
      urgent: s.urgent,
      payloadLen: s.payloadLen,
      ttl: s.ttl,
      headerCut: s.headerCut,
      options: s.options,
    },
  };
}

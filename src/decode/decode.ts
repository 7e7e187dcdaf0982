/**
 * The decoding stage as a pure function, for the library and tests: SegmentDecoder's answer for
 * one record, copied out of its borrowed segment into a value the caller keeps.
 */
import type { CaptureRecord } from '../capture/record.js';
import { SegmentDecoder } from './decoder.js';
import type { DecodeResult } from './segment.js';
import { copySegment } from './segment.js';

export function decode(record: CaptureRecord): DecodeResult {
  // A decoder per call: it would otherwise hold the last record's buffer alive.
  const decoder = new SegmentDecoder();
  const reason = decoder.decode(record);
  if (reason !== undefined) return { kind: 'skipped', reason, detail: decoder.skipDetail() ?? '' };
  return { kind: 'tcp', segment: copySegment(decoder.segment) };
}

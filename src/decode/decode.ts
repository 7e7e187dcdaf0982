/**
 * The decoding stage: one capture record in, one TCP segment (or the reason it is not one) out.
 * A pure function of the record that never throws on packet data: every layer checks its bounds.
 */
import type { CaptureRecord } from '../capture/record.js';
import type { DecodeResult } from './segment.js';
import { linkPayload } from './link.js';
import { decodeIp, protocolName } from './ip.js';
import { decodeTcp } from './tcp.js';
import { skip } from './bytes.js';

export function decode(record: CaptureRecord): DecodeResult {
  const d = record.data;
  const link = linkPayload(record.linkType, d);
  if (link.kind === 'skipped') return link;
  const ip = decodeIp(d, link.offset, link.version);
  if ('kind' in ip) return ip;
  if (ip.protocol !== 6) return skip('not-tcp', `IPv${ip.version} ${protocolName(ip.protocol)}`);
  const tcp = decodeTcp(d, ip.l4Offset, ip.l4Length);
  if ('kind' in tcp) return tcp;
  return {
    kind: 'tcp',
    segment: {
      no: record.no,
      tsSec: record.tsSec,
      tsNsec: record.tsNsec,
      ipVersion: ip.version,
      src: ip.src,
      dst: ip.dst,
      srcPort: tcp.srcPort,
      dstPort: tcp.dstPort,
      seq: tcp.seq,
      ack: tcp.ack,
      flags: tcp.flags,
      window: tcp.window,
      urgent: tcp.urgent,
      payloadLen: tcp.payloadLen,
      options: tcp.options,
    },
  };
}

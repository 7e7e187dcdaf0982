import { ipPacket, linkFrame, LINKTYPE, writePcap } from '../unit/writer.js';
import type { PacketSpec } from '../unit/writer.js';

/** TCP flag bits (RFC 9293 §3.1). */
const F = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 };

/**
 * A capture of `n` short connections (handshake, 10 bytes, both FINs), one every `gapSeconds` of
 * capture time from `startSec`, client 10.0.0.1 on ports from 20000 to server 10.0.0.2:80. Spread
 * over more than a minute, its connections are released (and streamed) while the capture is still
 * being read (docs/contract.md, "Connection lifetime").
 */
export function spreadPackets(n: number, gapSeconds: number, startSec = 1_700_000_000): PacketSpec[] {
  const c = Uint8Array.of(10, 0, 0, 1);
  const s = Uint8Array.of(10, 0, 0, 2);
  const packets: PacketSpec[] = [];
  for (let i = 0; i < n; i++) {
    const port = 20000 + (i % 40000);
    const gapMicros = Math.round(i * gapSeconds * 1e6);
    const t0 = startSec + Math.floor(gapMicros / 1e6);
    const t0Nsec = (gapMicros % 1e6) * 1000;
    const steps: [boolean, number, number, number, number][] = [
      [true, F.SYN, 100, 0, 0], [false, F.SYN | F.ACK, 500, 101, 0], [true, F.ACK, 101, 501, 0],
      [true, F.PSH | F.ACK, 101, 501, 10], [false, F.ACK, 501, 111, 0],
      [true, F.FIN | F.ACK, 111, 501, 0], [false, F.FIN | F.ACK, 501, 112, 0], [true, F.ACK, 112, 502, 0],
    ];
    steps.forEach(([fromClient, flags, seq, ack, len], k) => {
      const tcp = {
        src: fromClient ? c : s, dst: fromClient ? s : c, srcPort: fromClient ? port : 80, dstPort: fromClient ? 80 : port,
        seq, ack, flags, window: 1024, urgent: 0, options: [], payload: new Uint8Array(len),
      };
      // The steps 1 µs apart: within a connection's gap (at least a millisecond here).
      packets.push({ tsSec: t0, tsNsec: t0Nsec + k * 1000, data: linkFrame(LINKTYPE.RAW, ipPacket(tcp)) });
    });
  }
  return packets;
}

/** spreadPackets as a classic pcap file's bytes (RAW link, microseconds). */
export function spreadCapture(n: number, gapSeconds: number, startSec?: number): Uint8Array {
  return writePcap({ littleEndian: true, nano: false, linkType: LINKTYPE.RAW }, spreadPackets(n, gapSeconds, startSec));
}

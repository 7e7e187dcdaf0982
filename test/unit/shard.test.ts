import { describe, expect, it } from 'vitest';
import type { TcpSegment } from '../../src/decode/segment.js';
import { shardOf } from '../../src/flow/shard.js';
import { IPV4_SYN, decodeBytes, segmentOf, v4 } from './decoding.js';
import { rng } from './random.js';

/**
 * The shard of a connection (flow/shard.ts): the same for both directions, the same whether the
 * addresses come as the decoder's integers or as text (a tunnel's inner IPv4, a hand-built
 * segment), and spread evenly over any number of shards.
 */

const quad = (w: number): string => `${w >>> 24}.${(w >>> 16) & 255}.${(w >>> 8) & 255}.${w & 255}`;

function seg(src: string, srcPort: number, dst: string, dstPort: number, ints: boolean): TcpSegment {
  const ipVersion = src.includes(':') ? 6 : 4;
  return {
    no: 1, tsSec: 0, tsNsec: 0, ipVersion, src, dst, srcPort, dstPort,
    ...(ints && ipVersion === 4 ? { srcV4: v4(src), dstV4: v4(dst) } : {}),
    seq: 0, ack: 0, flags: 0, window: 0, urgent: 0, payloadLen: 0, options: [],
  };
}

const reverse = (s: TcpSegment): TcpSegment => ({ ...s, src: s.dst, dst: s.src, srcPort: s.dstPort, dstPort: s.srcPort, srcV4: s.dstV4, dstV4: s.srcV4 });

function ipv6(random: () => number): string {
  const groups = Array.from({ length: 8 }, (_, i) => (i < 2 ? 0x2001 + i : Math.floor(random() * 65536)).toString(16));
  return groups.join(':');
}

/** A server-like population: few servers and ports, many clients on ephemeral ports. */
function population(n: number, seed: number, version: 4 | 6): TcpSegment[] {
  const random = rng(seed);
  const servers = version === 4 ? ['10.1.0.1', '10.1.0.2', '10.1.0.3'] : ['2001:db8::1', '2001:db8::2'];
  return Array.from({ length: n }, () => {
    const client = version === 4 ? quad(0x0a000000 | Math.floor(random() * 65536)) : ipv6(random);
    const server = servers[Math.floor(random() * servers.length)] as string;
    return seg(client, 32768 + Math.floor(random() * 28232), server, random() < 0.5 ? 443 : 80, true);
  });
}

/** The largest relative distance of a shard's count from the even share. */
function imbalance(segs: TcpSegment[], shards: number): number {
  const counts = new Array<number>(shards).fill(0);
  for (const s of segs) {
    const k = shardOf(s, shards);
    counts[k] = (counts[k] ?? Number.NaN) + 1;
  }
  // A shard outside 0..shards-1 (or not an integer) leaves NaN or a count too many: the sum says so.
  expect(counts.reduce((a, b) => a + b, 0)).toBe(segs.length);
  const even = segs.length / shards;
  return Math.max(...counts.map((c) => Math.abs(c - even) / even));
}

describe('shardOf', () => {
  it('puts both directions of a connection in the same shard, IPv4 and IPv6', () => {
    for (const version of [4, 6] as const) {
      for (const s of population(2000, 1, version)) {
        for (const n of [2, 3, 7, 64]) expect(shardOf(reverse(s), n)).toBe(shardOf(s, n));
      }
    }
    // Equal addresses: the ports decide the order, and both directions still agree.
    const self = seg('10.0.0.1', 5000, '10.0.0.1', 80, true);
    expect(shardOf(reverse(self), 16)).toBe(shardOf(self, 16));
  });

  it('gives an IPv4 connection the same shard from the decoder\'s integers as from its text (a tunnel\'s inner packet)', () => {
    for (const s of population(2000, 2, 4)) {
      const text = { ...s, srcV4: undefined, dstV4: undefined };
      expect(shardOf(text, 5)).toBe(shardOf(s, 5));
    }
    const decoded = segmentOf(decodeBytes(101, IPV4_SYN));
    expect(decoded.srcV4).toBeDefined();
    expect(shardOf(decoded, 9)).toBe(shardOf(seg('192.168.0.2', 80, '192.168.0.1', 54210, false), 9));
  });

  it('spreads connections evenly over any number of shards', () => {
    const v4s = population(60_000, 3, 4);
    const v6s = population(30_000, 4, 6);
    for (const n of [2, 3, 4, 5, 8, 16]) {
      expect(imbalance(v4s, n)).toBeLessThan(0.05);
      expect(imbalance(v6s, n)).toBeLessThan(0.06);
    }
    // Consecutive client ports to one server (a scan, a load generator) spread too.
    const ports = Array.from({ length: 20_000 }, (_, i) => seg('10.0.0.9', 40000 + (i % 25000), '10.0.0.1', 443, true));
    expect(imbalance(ports, 4)).toBeLessThan(0.05);
  });

  it('is shard 0 of 1, and every shard index is an integer', () => {
    const s = seg('10.0.0.1', 1, '10.0.0.2', 2, true);
    expect(shardOf(s, 1)).toBe(0);
    expect(Number.isInteger(shardOf(s, 3))).toBe(true);
  });
});

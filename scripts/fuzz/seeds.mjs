// @ts-check
/**
 * The fuzz corpus: every fixture, every saved regression input, and captures derived from the
 * fixtures for what they lack (the other link types of docs/contract.md, "Link types and layers";
 * VLAN and MPLS, IPv4 options, IPv6 extension headers, pcapng SPB/OPB/ISB, several sections,
 * big-endian sections, odd if_tsresol; the tunnels of "Tunnels", fragments).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concat, seedOf } from './mutate.mjs';

/** @typedef {import('./mutate.mjs').Seed} Seed @typedef {{ sec: number, usec: number, data: Uint8Array }} Packet */

/** Reads fixtures/*.pcap* and test/fuzz/regressions/* under `root`, plus the derived seeds. @param {string} root @returns {Seed[]} */
export function loadCorpus(root) {
  /** @type {Seed[]} */
  const corpus = [];
  const fixtures = join(root, 'fixtures');
  for (const name of readdirSync(fixtures).sort()) {
    if (/\.pcap(ng)?$/.test(name)) corpus.push(seedOf(name, new Uint8Array(readFileSync(join(fixtures, name)))));
  }
  for (const { name, bytes } of regressionFiles(root)) corpus.push(seedOf(`regression/${name}`, bytes));
  const ether = corpus.find((s) => s.name === 'course-half-close.pcap');
  const ether6 = corpus.find((s) => s.name === 'ipv6-graceful.pcap');
  if (ether !== undefined && ether6 !== undefined) corpus.push(...derivedSeeds(pcapPackets(ether.bytes), pcapPackets(ether6.bytes)));
  return corpus;
}

/** The saved reproducers (any file but notes). @param {string} root */
export function regressionFiles(root) {
  const dir = join(root, 'test', 'fuzz', 'regressions');
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.filter((n) => !/\.(txt|md)$/.test(n)).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) }));
}

/** Records of a little-endian microsecond pcap (the fixtures' form). @param {Uint8Array} b @returns {Packet[]} */
function pcapPackets(b) {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  /** @type {Packet[]} */
  const out = [];
  for (let at = 24; at + 16 <= b.length;) {
    const caplen = dv.getUint32(at + 8, true);
    out.push({ sec: dv.getUint32(at, true), usec: dv.getUint32(at + 4, true), data: b.subarray(at + 16, at + 16 + caplen) });
    at += 16 + caplen;
  }
  return out;
}

/** @param {Packet[]} eth4 @param {Packet[]} eth6 @returns {Seed[]} */
function derivedSeeds(eth4, eth6) {
  const ip4 = eth4.map((p) => ({ ...p, data: p.data.subarray(14) }));
  const ip6 = eth6.map((p) => ({ ...p, data: p.data.subarray(14) }));
  const macs = new Uint8Array(12).fill(2);
  const wrap = (/** @type {Packet[]} */ ps, /** @type {number[]} */ head) => ps.map((p) => ({ ...p, data: cat(Uint8Array.from(head), p.data) }));
  const sll = [0, 0, 0, 1, 0, 6, 2, 2, 2, 2, 2, 2, 0, 0, 8, 0];
  const vlan = [...macs, 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, 0x08, 0x00];
  const mpls = [...macs, 0x88, 0x47, 0, 1, 0, 64, 0, 2, 1, 64];
  return [
    seedOf('derived/null.pcap', pcap(0, wrap(ip4, [2, 0, 0, 0]))),
    seedOf('derived/loop.pcap', pcap(108, wrap(ip6, [0, 0, 0, 30]))),
    seedOf('derived/raw101.pcap', pcap(101, ip4)),
    seedOf('derived/raw12-v6.pcap', pcap(12, ip6)),
    seedOf('derived/ipv4-228.pcap', pcap(228, ip4.map((p) => ({ ...p, data: withIpv4Options(p.data) })))),
    seedOf('derived/ipv6-229-ext.pcap', pcap(229, ip6.map((p) => ({ ...p, data: withHopByHop(p.data) })))),
    seedOf('derived/sll.pcap', pcap(113, wrap(ip4, sll))),
    seedOf('derived/vlan-qinq.pcap', pcap(1, wrap(ip4, vlan))),
    seedOf('derived/mpls.pcap', pcap(1, wrap(ip4, mpls))),
    seedOf('derived/blocks.pcapng', pcapngVariety(eth4, ip6)),
    ...linkSeeds(ip4, ip6),
    ...tunnelSeeds(ip4, ip6),
  ];
}

/**
 * The link types opened besides Ethernet and loopback (PPP, PPPoE, Cisco HDLC, also on a PPP link,
 * Cisco FabricPath, 802.11, radiotap, PPI, Juniper's Ethernet, IPoIB), wrapped around the fixture's packets as decode/link.ts, ethertype.ts and wlan.ts read them.
 * @param {Packet[]} ip4 @param {Packet[]} ip6 @returns {Seed[]}
 */
function linkSeeds(ip4, ip6) {
  const wrap = (/** @type {Packet[]} */ ps, /** @type {number[]} */ head) => ps.map((p) => ({ ...p, data: cat(Uint8Array.from(head), p.data) }));
  const macs = new Array(12).fill(2);
  const addrs = new Array(18).fill(4);
  // QoS data from the DS, sequence control, QoS control, LLC/SNAP IPv4
  const wlan = [0x88, 0x02, 0, 0, ...addrs, 0x10, 0, 0, 0, 0xaa, 0xaa, 3, 0, 0, 0, 8, 0];
  return [
    seedOf('derived/ppp.pcap', pcap(9, wrap(ip4, [0xff, 0x03, 0x00, 0x21]))),
    seedOf('derived/ppp-hdlc-v6.pcap', pcap(50, wrap(ip6, [0xff, 0x03, 0x00, 0x57]))),
    seedOf('derived/c-hdlc.pcap', pcap(104, wrap(ip4, [0x0f, 0, 8, 0]))),
    seedOf('derived/ppp-c-hdlc.pcap', pcap(9, wrap(ip4, [0x0f, 0, 8, 0]))),
    // FabricPath: switch addresses, the tag (0x8903, FTag and TTL), then an Ethernet frame, and an
    // FCS (tshark always takes the last 4 bytes for one; teardown goes by the IP lengths)
    seedOf('derived/fabricpath.pcap', pcap(1, ip4.map((p) => ({ ...p, data: cat(Uint8Array.from([...macs, 0x89, 0x03, 0x40, 0x20, ...macs, 8, 0]), p.data, Uint8Array.from([0, 0, 0, 0])) })))),
    // PPPoE session header: version/type, code 0, session 1, its length (PPP protocol and payload)
    seedOf('derived/pppoe.pcap', pcap(1, ip4.map((p) => ({ ...p, data: cat(Uint8Array.from([...macs, 0x88, 0x64, 0x11, 0, 0, 1, (p.data.length + 2) >> 8, (p.data.length + 2) & 0xff, 0, 0x21]), p.data) })))),
    seedOf('derived/wlan.pcap', pcap(105, wrap(ip4, wlan))),
    // radiotap: 12 bytes, the flags field present (no FCS at the end), then padding
    seedOf('derived/radiotap.pcap', pcap(127, wrap(ip4, [0, 0, 12, 0, 2, 0, 0, 0, 0, 0, 0, 0, ...wlan]))),
    // Juniper: magic, flags in and extensions, 4 bytes of TLVs (interface index), then Ethernet
    seedOf('derived/juniper.pcap', pcap(178, wrap(ip4, [0x4d, 0x47, 0x43, 0x81, 0, 4, 1, 2, 0, 7, ...macs, 8, 0]))),
    seedOf('derived/juniper-no-l2.pcap', pcap(178, wrap(ip6, [0x4d, 0x47, 0x43, 0x03, 6, 0, 0, 0]))),
    seedOf('derived/ppi.pcap', pcap(192, wrap(ip6, [0, 0, 8, 0, 105, 0, 0, 0, ...wlan.slice(0, -2), 0x86, 0xdd]))),
    // IP over InfiniBand: 20 bytes, destination QPN and GID (20 bytes), EtherType, reserved
    seedOf('derived/ipoib.pcap', pcap(242, wrap(ip4, [...new Array(20).fill(0), 0, 0, 5, 0x50, 0xfe, 0x80, ...new Array(14).fill(0), 8, 0, 0, 0]))),
  ];
}

/**
 * The tunnels decode/tunnel.ts opens, around the fixture's packets: IP-in-IP, 6in4, GRE with every
 * optional field, PPTP's GRE with every optional field, ERSPAN II, Geneve with options, Teredo,
 * GTP-U with an extension header, L2TP with every optional field; IPv4's authentication header;
 * IPv4 fragments (VXLAN and plain fragments are fixtures), and first fragments claiming more than
 * the packet holds (read as TCP, never reassembled).
 * @param {Packet[]} ip4 @param {Packet[]} ip6 @returns {Seed[]}
 */
function tunnelSeeds(ip4, ip6) {
  const eth = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 8, 0];
  const udp = (/** @type {number} */ port, /** @type {number[]} */ head) => (/** @type {Uint8Array} */ inner) =>
    cat(Uint8Array.from([0xc3, 0x50, port >> 8, port & 0xff, (8 + head.length + inner.length) >> 8, (8 + head.length + inner.length) & 0xff, 0, 0, ...head]), inner);
  const over = (/** @type {Packet[]} */ ps, /** @type {number} */ protocol, /** @type {(inner: Uint8Array) => Uint8Array} */ payload) =>
    ps.map((p) => ({ ...p, data: outerIpv4(protocol, payload(p.data)) }));
  const gre = (/** @type {Uint8Array} */ inner) => cat(Uint8Array.from([0xb0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1]), inner);
  return [
    seedOf('derived/ipip.pcap', pcap(101, over(ip4, 4, (d) => d))),
    seedOf('derived/6in4.pcap', pcap(101, over(ip6, 41, (d) => d))),
    seedOf('derived/gre.pcap', pcap(101, over(ip4, 47, gre))),
    seedOf('derived/erspan2.pcap', pcap(101, over(ip4, 47, (d) => cat(Uint8Array.from([0x10, 0, 0x88, 0xbe, 0, 0, 0, 1, 0x10, 0, 0, 0x55, 0, 0, 0, 0, ...eth]), d)))),
    seedOf('derived/geneve.pcap', pcap(101, over(ip4, 17, udp(6081, [2, 0, 0x65, 0x58, 0, 0, 0x4d, 0, 1, 2, 3, 1, 0, 0, 0, 0, ...eth])))),
    seedOf('derived/teredo.pcap', pcap(101, over(ip6, 17, udp(3544, [0, 0, 0x3a, 0xd3, 0x3f, 0xff, 0xff, 0xfe])))),
    // PPTP: K, S, A, version 1, 0x880b, payload length, call id 0x4000, sequence, acknowledgement; PPP IPv4
    seedOf('derived/pptp.pcap', pcap(101, over(ip4, 47, (d) => cat(Uint8Array.from([0x30, 0x81, 0x88, 0x0b, (d.length + 4) >> 8, (d.length + 4) & 0xff, 0x40, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0xff, 0x03, 0, 0x21]), d)))),
    // L2TPv2 data: L, S, O; its length, tunnel 9, session 2, Ns, Nr, offset size 2 and its padding; PPP IPv6
    seedOf('derived/l2tp.pcap', pcap(101, over(ip6, 17, (d) => udp(1701, [0x4a, 0x02, (20 + d.length) >> 8, (20 + d.length) & 0xff, 0, 9, 0, 2, 0, 1, 0, 2, 0, 2, 0, 0, 0xff, 0x03, 0, 0x57])(d)))),
    seedOf('derived/first-fragments-cut.pcap', pcap(101, ip4.map((p) => ({ ...p, data: claimingMore(p.data) })))),
    seedOf('derived/gtp-u.pcap', pcap(101, over(ip4, 17, (d) => udp(2152, [0x34, 0xff, (8 + d.length) >> 8, (8 + d.length) & 0xff, 0, 0, 0, 9, 0, 0, 0, 0x85, 1, 0, 1, 0])(d)))),
    // IPv4 authentication header (next 6, 24 bytes) before the TCP header
    seedOf('derived/ah.pcap', pcap(101, ip4.map((p) => ({ ...p, data: withAuthHeader(p.data) })))),
    seedOf('derived/gre-fragments.pcap', pcap(101, over(ip4, 47, gre).flatMap((p) => fragments(p)))),
  ];
}

/** IPv4 with a 24-byte authentication header (RFC 4302) before its TCP header. @param {Uint8Array} ip */
function withAuthHeader(ip) {
  const out = cat(ip.subarray(0, 20), Uint8Array.from([6, 4, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 1, ...new Array(12).fill(0)]), ip.subarray(20));
  out[9] = 51;
  const total = (((out[2] ?? 0) << 8) | (out[3] ?? 0)) + 24;
  out[2] = total >> 8;
  out[3] = total & 0xff;
  return out;
}

/** IPv4 (10.9.0.1 > 10.9.0.2, no options) around a payload. @param {number} protocol @param {Uint8Array} payload */
function outerIpv4(protocol, payload) {
  const total = 20 + payload.length;
  return cat(Uint8Array.from([0x45, 0, total >> 8, total & 0xff, 0, 7, 0, 0, 64, protocol, 0, 0, 10, 9, 0, 1, 10, 9, 0, 2]), payload);
}

/** An IPv4 packet as a first fragment (MF) whose total length claims 64 bytes more than it holds. @param {Uint8Array} ip */
function claimingMore(ip) {
  const d = ip.slice();
  const total = ((d[2] ?? 0) << 8 | (d[3] ?? 0)) + 64;
  d[2] = (total >> 8) & 0xff;
  d[3] = total & 0xff;
  d[6] = (d[6] ?? 0) | 0x20;
  return d;
}

/** An IPv4 packet in two fragments (the first 16 payload bytes, then the rest), when it has more. @param {Packet} p @returns {Packet[]} */
function fragments(p) {
  const d = p.data;
  if (d.length <= 36) return [p];
  const head = (/** @type {number} */ len, /** @type {number} */ field) => {
    const h = d.slice(0, 20);
    h[2] = (20 + len) >> 8;
    h[3] = (20 + len) & 0xff;
    h[6] = field >> 8;
    h[7] = field & 0xff;
    return h;
  };
  return [
    { ...p, data: cat(head(16, 0x2000), d.subarray(20, 36)) },
    { ...p, data: cat(head(d.length - 36, 2), d.subarray(36)) },
  ];
}

/** Little-endian microsecond pcap. @param {number} linkType @param {Packet[]} packets */
function pcap(linkType, packets) {
  const head = new Uint8Array(24);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, linkType, true);
  return cat(head, ...packets.map((p) => {
    const r = new Uint8Array(16);
    const rv = new DataView(r.buffer);
    rv.setUint32(0, p.sec, true);
    rv.setUint32(4, p.usec, true);
    rv.setUint32(8, p.data.length, true);
    rv.setUint32(12, p.data.length, true);
    return cat(r, p.data);
  }));
}

/** IPv4 with 4 bytes of NOP options (IHL 6, total length + 4). @param {Uint8Array} ip */
function withIpv4Options(ip) {
  const out = cat(ip.subarray(0, 20), Uint8Array.from([1, 1, 1, 0]), ip.subarray(20));
  out[0] = 0x46;
  const total = (((out[2] ?? 0) << 8) | (out[3] ?? 0)) + 4;
  out[2] = total >> 8;
  out[3] = total & 0xff;
  return out;
}

/** IPv6 with an 8-byte hop-by-hop header (PadN) before TCP. @param {Uint8Array} ip */
function withHopByHop(ip) {
  const out = cat(ip.subarray(0, 40), Uint8Array.from([6, 0, 1, 4, 0, 0, 0, 0]), ip.subarray(40));
  out[6] = 0;
  const payload = (((out[4] ?? 0) << 8) | (out[5] ?? 0)) + 8;
  out[4] = payload >> 8;
  out[5] = payload & 0xff;
  return out;
}

/**
 * Section 1 (little-endian): IDB EN10MB with if_tsresol 9 and if_tsoffset, EPBs with an option,
 * an SPB, an OPB, an unknown block, an ISB with isb_endtime. Section 2 (big-endian): IDB RAW with
 * a binary if_tsresol (2^-20 s), EPBs of IPv6 packets.
 * @param {Packet[]} eth @param {Packet[]} ip6
 */
function pcapngVariety(eth, ip6) {
  const le = true;
  const ns = (/** @type {Packet} */ p) => BigInt(p.sec) * 1_000_000_000n + BigInt(p.usec) * 1000n;
  const blocks = [
    block(le, 0x0a0d0d0a, u32s(le, 0x1a2b3c4d, 0x00000001, 0xffffffff, 0xffffffff)),
    block(le, 1, cat(u32s(le, 1, 0), option(le, 9, Uint8Array.of(9)), option(le, 14, i64(le, 0n)), u32s(le, 0))),
  ];
  eth.forEach((p, i) => {
    const t = ns(p);
    if (i % 4 === 1) blocks.push(block(le, 3, cat(u32s(le, p.data.length), pad4(p.data))));
    else if (i % 4 === 2) blocks.push(block(le, 2, cat(u16s(le, 0, 0), u32s(le, Number(t >> 32n), Number(t & 0xffffffffn), p.data.length, p.data.length), pad4(p.data))));
    else blocks.push(block(le, 6, cat(u32s(le, 0, Number(t >> 32n), Number(t & 0xffffffffn), p.data.length, p.data.length), pad4(p.data), option(le, 2, u32s(le, 1)), u32s(le, 0))));
  });
  blocks.push(block(le, 0xbad, u32s(le, 1, 2, 3)));
  const last = eth[eth.length - 1];
  const end = last === undefined ? 0n : ns(last) + 5_000_000_000n;
  blocks.push(block(le, 5, cat(u32s(le, 0, 0, 0), option(le, 3, u32s(le, Number(end >> 32n), Number(end & 0xffffffffn))), u32s(le, 0))));
  const be = false;
  blocks.push(block(be, 0x0a0d0d0a, u32s(be, 0x1a2b3c4d, 0x00010000, 0xffffffff, 0xffffffff)));
  blocks.push(block(be, 1, cat(u16s(be, 101, 0), u32s(be, 0), option(be, 9, Uint8Array.of(0x80 | 20)), u32s(be, 0))));
  for (const p of ip6) {
    const t = (BigInt(p.sec) << 20n) + (BigInt(p.usec) << 20n) / 1_000_000n;
    blocks.push(block(be, 6, cat(u32s(be, 0, Number(t >> 32n), Number(t & 0xffffffffn), p.data.length, p.data.length), pad4(p.data))));
  }
  return cat(...blocks);
}

/** @param {boolean} le @param {number} type @param {Uint8Array} body */
function block(le, type, body) {
  const length = 12 + body.length;
  return cat(u32s(le, type, length), body, u32s(le, length));
}

/** @param {boolean} le @param {number} code @param {Uint8Array} value */
function option(le, code, value) {
  return cat(u16s(le, code, value.length), pad4(value));
}

/** @param {Uint8Array} b */
function pad4(b) {
  return cat(b, new Uint8Array((4 - (b.length % 4)) % 4));
}

/** @param {boolean} le @param {...number} xs */
function u32s(le, ...xs) {
  const b = new Uint8Array(4 * xs.length);
  const dv = new DataView(b.buffer);
  xs.forEach((x, i) => dv.setUint32(4 * i, x >>> 0, le));
  return b;
}

/** @param {boolean} le @param {...number} xs */
function u16s(le, ...xs) {
  const b = new Uint8Array(2 * xs.length);
  const dv = new DataView(b.buffer);
  xs.forEach((x, i) => dv.setUint16(2 * i, x & 0xffff, le));
  return b;
}

/** @param {boolean} le @param {bigint} x */
function i64(le, x) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, x, le);
  return b;
}

const cat = concat;

// Seedable generator of a large synthetic capture for `npm run bench`: Linux-like teardowns of every
// class, interleaved in time, Ethernet/IPv4/TCP with correct checksums, written as a classic pcap.
// Usage: node scripts/bench/generate.mjs OUT.pcap [--packets N] [--seed S] [--long-lived K] [--span S]
// --span S: spread the connections' starts over about S seconds of capture time (default: one every
// 48 µs on average, ~10 s for 2 M packets). A capture longer than the 60 s a connection is kept after
// its end is one whose memory a reader can keep flat.
// --long-lived K: K more connections open in the first second and live to the end of the capture,
// as a server's long sessions do: a request every second or two, and every third one half-closed by
// its client early and never closed by its server (stuck in CLOSE_WAIT to the end). Their blocks are
// the ones a report in connection order must hold back until the end.
// Writes OUT.pcap and OUT.pcap.counts.json (the generator's own verdict counts per class).
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const out = args[0] ?? '/tmp/teardown-bench.pcap';
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TARGET_PACKETS = opt('--packets', 2_000_000);
let seed = opt('--seed', 42) >>> 0;
const LONG_LIVED = opt('--long-lived', 0);

/** mulberry32: small, fast, seedable. */
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// A step: [fromClient, flags, seqRel, ackRel, len, gapMicros]. Flags: F1 S2 R4 P8 A16.
const F = 1, S = 2, R = 4, P = 8, A = 16;

function exchange(steps, cSeq, sSeq, rounds) {
  for (let i = 0; i < rounds; i++) {
    const q = randInt(40, 600), r = randInt(100, 1448);
    steps.push([true, P | A, cSeq, sSeq, q, randInt(200, 20000)]);
    steps.push([false, A, sSeq, cSeq + q, 0, randInt(20, 200)]);
    cSeq += q;
    steps.push([false, P | A, sSeq, cSeq, r, randInt(50, 3000)]);
    steps.push([true, A, cSeq, sSeq + r, 0, randInt(20, 200)]);
    sSeq += r;
  }
  return [cSeq, sSeq];
}

const handshake = () => [[true, S, 0, 0, 0, 0], [false, S | A, 0, 1, 0, randInt(10, 100)], [true, A, 1, 1, 0, randInt(10, 100)]];

/** Each template returns [class, steps]; relative numbers start at ISN 0 on both sides. */
const TEMPLATES = [
  [30, () => { // graceful three-way, sometimes with the tail-loss-probe FIN retransmission
    const s = handshake(); const [c, v] = exchange(s, 1, 1, randInt(0, 2));
    s.push([true, F | A, c, v, 0, randInt(100, 5000)]);
    if (rand() < 0.3) s.push([true, F | A, c, v, 0, randInt(5000, 12000)]);
    s.push([false, F | A, v, c + 1, 0, randInt(20, 300)], [true, A, c + 1, v + 1, 0, randInt(10, 100)]);
    return ['graceful', s];
  }],
  [15, () => { // graceful four-way
    const s = handshake(); const [c, v] = exchange(s, 1, 1, randInt(0, 2));
    s.push([true, F | A, c, v, 0, randInt(100, 5000)], [false, A, v, c + 1, 0, randInt(20, 40000)], [false, F | A, v, c + 1, 0, randInt(1000, 200000)], [true, A, c + 1, v + 1, 0, randInt(10, 100)]);
    return ['graceful', s];
  }],
  [10, () => { // half-close: shutdown(SHUT_WR), then the reply
    const s = handshake(); const [c, v] = exchange(s, 1, 1, randInt(0, 1));
    const n = randInt(3, 1448);
    s.push([true, F | A, c, v, 0, randInt(100, 5000)], [false, A, v, c + 1, 0, randInt(20, 300)], [false, P | A, v, c + 1, n, randInt(100, 5000)],
      [true, A, c + 1, v + n, 0, randInt(10, 100)], [false, F | A, v + n, c + 1, 0, randInt(10, 500)], [true, A, c + 1, v + n + 1, 0, randInt(10, 100)]);
    return ['half-close', s];
  }],
  [10, () => { // rst-after-close: close(), then data reaches the closed socket: bare RST
    const s = handshake(); const [c, v] = exchange(s, 1, 1, randInt(0, 1));
    s.push([true, F | A, c, v, 0, randInt(100, 5000)], [false, A, v, c + 1, 0, randInt(20, 300)], [false, P | A, v, c + 1, 3, randInt(100, 5000)], [true, R, c + 1, 0, 0, randInt(10, 60)]);
    return ['rst-after-close', s];
  }],
  [8, () => { // abort: SO_LINGER 0 / unread data
    const s = handshake(); const [c, v] = exchange(s, 1, 1, randInt(1, 2));
    s.push([rand() < 0.5, R | A, 0, 0, 0, randInt(100, 5000)]);
    const last = s[s.length - 1]; last[2] = last[0] ? c : v; last[3] = last[0] ? v : c;
    return ['abort', s];
  }],
  [5, () => { // abort after the peer's FIN
    const s = handshake(); const [c, v] = exchange(s, 1, 1, 1);
    s.push([false, F | A, v, c, 0, randInt(100, 5000)], [true, A, c, v + 1, 0, randInt(20, 300)], [true, R | A, c, v + 1, 0, randInt(100, 5000)]);
    return ['abort', s];
  }],
  [8, () => ['refused', [[true, S, 0, 0, 0, 0], [false, R | A, 0, 1, 0, randInt(10, 60)]]]],
  [4, () => { // stuck close-wait: the server never closes
    const s = handshake(); const [c, v] = exchange(s, 1, 1, 1);
    s.push([true, F | A, c, v, 0, randInt(100, 5000)], [false, A, v, c + 1, 0, randInt(20, 300)]);
    return ['stuck', s];
  }],
  [6, () => { // open at the end of the capture
    const s = handshake(); exchange(s, 1, 1, randInt(1, 3));
    return ['open', s];
  }],
  [2, () => { // simultaneous close
    const s = handshake(); const [c, v] = exchange(s, 1, 1, 1);
    s.push([true, F | A, c, v, 0, randInt(100, 5000)], [false, F | A, v, c, 0, randInt(1, 20)], [true, A, c + 1, v + 1, 0, randInt(10, 100)], [false, A, v + 1, c + 1, 0, randInt(1, 20)]);
    return ['graceful', s];
  }],
  [2, () => ['abort', [[true, S, 0, 0, 0, 0], [false, S | A, 0, 1, 0, randInt(10, 100)], [true, R, 1, 0, 0, randInt(10, 100)]]]],
];
/** A long-lived connection: requests a second or two apart for longer than the capture lasts. */
function longLived(stuck) {
  const s = handshake();
  let c = 1, v = 1;
  // Rounds 1.25 s apart on average, for longer than the capture lasts (SPAN, or ~10 s per 2 M packets).
  const rounds = Math.ceil(SPAN > 0 ? SPAN : TARGET_PACKETS / 200_000) + 5;
  if (stuck) {
    // The client half-closes at once; the server goes on sending and never closes.
    s.push([true, F | A, c, v, 0, randInt(1000, 5000)], [false, A, v, c + 1, 0, randInt(20, 300)]);
    for (let i = 0; i < rounds; i++) {
      const r = randInt(100, 1448);
      s.push([false, P | A, v, c + 1, r, randInt(500_000, 2_000_000)], [true, A, c + 1, v + r, 0, randInt(20, 200)]);
      v += r;
    }
    return ['stuck', s];
  }
  for (let i = 0; i < rounds; i++) {
    const q = randInt(40, 600), r = randInt(100, 1448);
    s.push([true, P | A, c, v, q, randInt(500_000, 2_000_000)], [false, A, v, c + q, 0, randInt(20, 200)]);
    c += q;
    s.push([false, P | A, v, c, r, randInt(50, 3000)], [true, A, c, v + r, 0, randInt(20, 200)]);
    v += r;
  }
  return ['open', s];
}
const WEIGHT = TEMPLATES.reduce((n, [w]) => n + w, 0);
function pickTemplate() {
  let x = rand() * WEIGHT;
  for (const [w, make] of TEMPLATES) if ((x -= w) < 0) return make();
  return TEMPLATES[0][1]();
}

// Binary heap of active connections by next packet time (microseconds).
const heap = [];
const less = (a, b) => a.t < b.t;
function push(x) {
  heap.push(x);
  for (let i = heap.length - 1; i > 0;) {
    const p = (i - 1) >> 1;
    if (!less(heap[i], heap[p])) break;
    [heap[i], heap[p]] = [heap[p], heap[i]]; i = p;
  }
}
function pop() {
  const top = heap[0]; const last = heap.pop();
  if (heap.length) {
    heap[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1, r = l + 1; let m = i;
      if (l < heap.length && less(heap[l], heap[m])) m = l;
      if (r < heap.length && less(heap[r], heap[m])) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m], heap[i]]; i = m;
    }
  }
  return top;
}

const counts = {};
const fd = openSync(out, 'w');
const BUF = Buffer.alloc(8 * 1024 * 1024);
let pos = 0;
const flush = () => { writeSync(fd, BUF, 0, pos); pos = 0; };
// pcap header: little-endian, microseconds, snaplen 262144, EN10MB.
BUF.writeUInt32LE(0xa1b2c3d4, 0); BUF.writeUInt16LE(2, 4); BUF.writeUInt16LE(4, 6);
BUF.writeUInt32LE(0, 8); BUF.writeUInt32LE(0, 12); BUF.writeUInt32LE(262144, 16); BUF.writeUInt32LE(1, 20);
pos = 24;

function checksum(buf, start, end, initial) {
  let sum = initial;
  for (let i = start; i + 1 < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if ((end - start) & 1) sum += buf[end - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

const T0 = 1_700_000_000 * 1e6;
function writePacket(conn, step, tMicros) {
  const [fromClient, flags, seqRel, ackRel, len] = step;
  const tcpLen = flags & S ? 40 : 32; // SYN: MSS, SACK_PERM, TS, NOP, WS; others: NOP NOP TS
  const ipLen = 20 + tcpLen + len;
  const frame = 14 + ipLen;
  if (pos + 16 + frame > BUF.length) flush();
  const t = T0 + tMicros;
  BUF.writeUInt32LE(Math.floor(t / 1e6), pos); BUF.writeUInt32LE(t % 1e6, pos + 4);
  BUF.writeUInt32LE(frame, pos + 8); BUF.writeUInt32LE(frame, pos + 12);
  let p = pos + 16;
  BUF.fill(0, p, p + frame);
  BUF[p + 5] = fromClient ? 1 : 2; BUF[p + 11] = fromClient ? 2 : 1; BUF.writeUInt16BE(0x0800, p + 12);
  const ip = p + 14;
  BUF[ip] = 0x45; BUF.writeUInt16BE(ipLen, ip + 2); BUF.writeUInt16BE(conn.ipId++ & 0xffff, ip + 4); BUF[ip + 6] = 0x40; BUF[ip + 8] = 64; BUF[ip + 9] = 6;
  const [src, dst] = fromClient ? [conn.cIp, conn.sIp] : [conn.sIp, conn.cIp];
  BUF.writeUInt32BE(src, ip + 12); BUF.writeUInt32BE(dst, ip + 16);
  BUF.writeUInt16BE(checksum(BUF, ip, ip + 20, 0), ip + 10);
  const tcp = ip + 20;
  BUF.writeUInt16BE(fromClient ? conn.cPort : conn.sPort, tcp); BUF.writeUInt16BE(fromClient ? conn.sPort : conn.cPort, tcp + 2);
  const isn = fromClient ? conn.cIsn : conn.sIsn, peerIsn = fromClient ? conn.sIsn : conn.cIsn;
  BUF.writeUInt32BE((isn + seqRel) >>> 0, tcp + 4);
  BUF.writeUInt32BE(flags & A ? (peerIsn + ackRel) >>> 0 : 0, tcp + 8);
  BUF[tcp + 12] = (tcpLen / 4) << 4; BUF[tcp + 13] = flags;
  BUF.writeUInt16BE(flags & R && !(flags & A) ? 0 : flags & S ? 65495 : 512, tcp + 14);
  let o = tcp + 20;
  const ts = Math.floor(tMicros / 1000) >>> 0;
  if (flags & S) {
    BUF[o] = 2; BUF[o + 1] = 4; BUF.writeUInt16BE(1460, o + 2); BUF[o + 4] = 4; BUF[o + 5] = 2;
    BUF[o + 6] = 8; BUF[o + 7] = 10; BUF.writeUInt32BE(ts, o + 8); BUF.writeUInt32BE(flags & A ? ts : 0, o + 12);
    BUF[o + 16] = 1; BUF[o + 17] = 3; BUF[o + 18] = 3; BUF[o + 19] = 7;
  } else {
    BUF[o] = 1; BUF[o + 1] = 1; BUF[o + 2] = 8; BUF[o + 3] = 10; BUF.writeUInt32BE(ts, o + 4); BUF.writeUInt32BE(ts, o + 8);
  }
  // TCP checksum over the pseudo header, header and (zero) payload.
  const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + tcpLen + len;
  BUF.writeUInt16BE(checksum(BUF, tcp, tcp + tcpLen + len, pseudo), tcp + 16);
  pos = p + frame;
}

let packets = 0, connections = 0, clock = 0, nextStart = 0;
// Microseconds between connection starts: ~187 k connections in ~9 s at 2 M packets; about 9.5
// packets a connection.
const SPAN = opt('--span', 0);
const meanGap = SPAN > 0 ? (SPAN * 1e6) / (TARGET_PACKETS / 9.5) : 48;
// The long-lived ones start among the first connections of the first second.
let longLeft = LONG_LIVED;
while (packets < TARGET_PACKETS) {
  if (!heap.length || nextStart <= heap[0].t) {
    const long = longLeft > 0 && (connections % 7 === 3 || nextStart > 500_000);
    if (long) longLeft--;
    const [cls, steps] = long ? longLived(longLeft % 3 === 0) : pickTemplate();
    const n = connections++;
    counts[cls] = (counts[cls] ?? 0) + 1;
    push({
      t: nextStart, i: 0, steps, cls, ipId: randInt(0, 65535),
      cIp: ((10 << 24) | ((n >>> 14) & 0xffff)) >>> 0, cPort: 1024 + (n & 0x3fff), sIp: ((192 << 24) | (168 << 16) | randInt(1, 250)) >>> 0, sPort: [80, 443, 8080, 12000][n & 3],
      cIsn: randInt(0, 0xffffffff), sIsn: randInt(0, 0xffffffff),
    });
    nextStart += Math.max(1, Math.round(-Math.log(1 - rand()) * meanGap));
    continue;
  }
  const c = pop();
  clock = c.t;
  writePacket(c, c.steps[c.i], clock);
  packets++;
  c.i++;
  if (c.i < c.steps.length) {
    c.t = clock + c.steps[c.i][5];
    push(c);
  }
}
flush();
closeSync(fd);
// Connections cut off by the end of the capture are classified as what their packets show so far:
// count them again from the steps written.
for (const c of heap) {
  counts[c.cls] -= 1;
  const now = classOfSteps(c.steps.slice(0, c.i));
  counts[now] = (counts[now] ?? 0) + 1;
}
/** The verdict of a step list by docs/contract.md, "Classes" (only for the cut-off connections at the end). */
function classOfSteps(steps) {
  const finFrom = new Set(); let rst = null; let synAck = false; let refused = false; let rstAfterFin = false;
  let firstFin = null; let trailing = false;
  for (const [fromClient, flags, seq, ack, len] of steps) {
    if (firstFin && fromClient !== firstFin.fromClient && len > 0 && flags & A && ack >= firstFin.end) trailing = true;
    if (flags & F && !firstFin) firstFin = { fromClient, end: seq + len + 1 };
    if (flags & S && flags & A) synAck = true;
    if (flags & R) {
      if (!fromClient && !synAck && finFrom.size === 0) refused = true;
      if (finFrom.has(fromClient)) rstAfterFin = true;
      rst ??= fromClient;
    }
    if (flags & F && !(flags & R)) finFrom.add(fromClient);
  }
  if (refused) return 'refused';
  // SYNs and nothing else: the client's SYN cut off by the end of the capture.
  if (steps.every(([fromClient, flags, , , len]) => fromClient && flags === S && len === 0)) return 'unanswered';
  if (rstAfterFin) return 'rst-after-close';
  if (rst !== null) return 'abort';
  if (finFrom.size === 2) return trailing ? 'half-close' : 'graceful';
  if (finFrom.size === 1) return 'stuck';
  return 'open';
}
for (const k of Object.keys(counts)) if (!counts[k]) delete counts[k];
writeFileSync(`${out}.counts.json`, JSON.stringify({ packets, connections, byClass: counts, seed: opt('--seed', 42) }, null, 2) + '\n');
console.log(`${out}: ${packets} packets, ${connections} connections`, counts);

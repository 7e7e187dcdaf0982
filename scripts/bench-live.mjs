#!/usr/bin/env node
/**
 * Live-capture benchmark: a bulk TCP transfer over loopback (default 1 GB), captured and analysed
 * by `teardown live -i lo` (tcpdump -U -w - into the same pcap reader as `analyze`), then reports
 * the packets handled, the packet rate, and the kernel's drop count.
 *
 *   npm run build && sudo node scripts/bench-live.mjs [--mb 1024] [--runs 1] [--chunk-kb 64]
 *
 * --chunk-kb sets the size of each write (TCP_NODELAY on): small writes give small segments, the
 * harder case for a capture, since its cost is per packet.
 *
 * Needs root (or CAP_NET_RAW) and tcpdump, like `teardown live`.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? Number(process.argv[i + 1]) : fallback;
}
const MB = arg('mb', 1024);
const RUNS = arg('runs', 1);
const CHUNK = arg('chunk-kb', 64) * 1024;
/** --rr S: instead of the bulk transfer, S seconds of 16-byte request/response on 32 connections (small packets). */
const RR = arg('rr', 0);

/** Many small packets: each connection echoes 16-byte messages back and forth for RR seconds. */
async function requestResponse(port, server) {
  server.on('connection', (s) => {
    s.setNoDelay(true);
    s.on('data', (b) => s.write(b));
    s.on('end', () => s.end());
  });
  const until = Date.now() + RR * 1000;
  const msg = Buffer.alloc(16, 0x62);
  let bytes = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    const c = net.connect({ port, host: '127.0.0.1', noDelay: true });
    await new Promise((resolve) => c.once('connect', resolve));
    await new Promise((resolve) => {
      c.on('data', (b) => {
        bytes += b.length;
        if (Date.now() < until) c.write(msg);
        else c.end();
      });
      c.on('close', resolve);
      c.write(msg);
    });
  }));
  return bytes;
}

/** A sink server and a client that writes MB megabytes as fast as the socket takes them. */
async function transfer(port, server) {
  const total = MB * 1024 * 1024;
  const chunk = Buffer.alloc(CHUNK, 0x61);
  const received = new Promise((resolve) => {
    server.once('connection', (s) => {
      let n = 0;
      s.on('data', (b) => { n += b.length; });
      s.on('end', () => { s.end(); resolve(n); });
    });
  });
  const c = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise((resolve) => c.once('connect', resolve));
  let sent = 0;
  while (sent < total) {
    const n = Math.min(CHUNK, total - sent);
    sent += n;
    if (!c.write(n === CHUNK ? chunk : chunk.subarray(0, n))) await new Promise((resolve) => c.once('drain', resolve));
  }
  c.end();
  const n = await received;
  await new Promise((resolve) => c.once('close', resolve));
  return n;
}

async function run() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const live = spawn(process.execPath, [CLI, 'live', '-i', 'lo', '--format', 'json', '--no-packets', 'tcp', 'port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  live.stdout.on('data', (b) => { out += b; });
  const listening = new Promise((resolve, reject) => {
    live.stderr.on('data', (b) => {
      err += b;
      if (err.includes('listening on')) resolve();
    });
    live.on('close', () => reject(new Error(`teardown live exited: ${err.trim()}`)));
  });
  await listening;
  const t0 = process.hrtime.bigint();
  const bytes = RR > 0 ? await requestResponse(port, server) : await transfer(port, server);
  const transferS = Number(process.hrtime.bigint() - t0) / 1e9;
  // Stop as Ctrl-C does; the capture drains what tcpdump still holds before the report.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const t1 = process.hrtime.bigint();
  live.kill('SIGINT');
  const code = await new Promise((resolve) => live.on('close', resolve));
  const drainS = Number(process.hrtime.bigint() - t1) / 1e9;
  const totalS = Number(process.hrtime.bigint() - t0) / 1e9;
  server.close();
  if (code !== 0) throw new Error(`teardown live exited ${code}: ${err.trim()}`);
  const report = JSON.parse(out);
  const cap = report.capture;
  const classes = report.summary.byClass;
  return {
    mb: MB, bytes, packets: cap.packets, captured: cap.captured, received: cap.received, dropped: cap.dropped,
    transferS, drainS, totalS,
    pps: Math.round(cap.packets / totalS),
    mbps: Math.round(bytes / 1e6 / totalS),
    verdict: Object.entries(classes).map(([k, v]) => `${k} ${v}`).join(', ') || 'none',
  };
}

for (let i = 0; i < RUNS; i++) {
  const r = await run();
  console.log(`run ${i + 1}: ${RR > 0 ? `${RR} s of request/response on 32 connections` : `${r.mb} MiB`} in ${r.transferS.toFixed(2)} s (+${r.drainS.toFixed(2)} s to stop and drain): ` +
    `${r.packets} packets analysed, ${r.pps} packets/s, ${r.mbps} MB/s; tcpdump: ${r.received} received by filter, ` +
    `${r.captured} captured, ${r.dropped} dropped by kernel; verdicts: ${r.verdict}`);
}

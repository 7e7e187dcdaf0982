import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ROW_BUDGET, runAnalyze } from '../../src/cli/commands/analyze.js';
import type { ViewOptions } from '../../src/cli/options.js';
import { CLI, ROOT } from './run-cli.js';
import { viewOptionsOf } from './run-analyze.js';
import { headerPcap } from '../unit/writer.js';
import type { HeaderPacket } from '../unit/writer.js';

/**
 * Packet rows never grow without bound (docs/testing.md, "Hostile input"): standard input counts
 * as a small capture, so every row was kept (a million packets: 2.6 GB; three million: `Invalid
 * string length`). Past the row budget no row is kept, the verdicts stay whole, and the output
 * says so.
 */

interface Packet { c: number; fromClient: boolean; flags: number; seq: number; ack: number }

/** A classic pcap: connection c is 10.0.0.1:(1000 + c) → 10.0.0.2:80. */
function capture(packets: Iterable<Packet>, count: number): Buffer {
  function* headers(): Generator<HeaderPacket> {
    let i = 0;
    for (const p of packets) {
      i++;
      yield {
        sec: 1000 + Math.floor(i / 100000), usec: (i % 100000) * 10, src: p.fromClient ? 0x0a000001 : 0x0a000002, dst: p.fromClient ? 0x0a000002 : 0x0a000001,
        srcPort: p.fromClient ? 1000 + p.c : 80, dstPort: p.fromClient ? 80 : 1000 + p.c, seq: p.seq, ack: p.ack, flags: p.flags,
      };
    }
  }
  return headerPcap(headers(), count);
}

/** `n` connections of four packets each: SYN, SYN-ACK, ACK, RST. */
function* shortConnections(n: number): Generator<Packet> {
  for (let c = 0; c < n; c++) {
    yield { c, fromClient: true, flags: 0x02, seq: 100, ack: 0 };
    yield { c, fromClient: false, flags: 0x12, seq: 500, ack: 101 };
    yield { c, fromClient: true, flags: 0x10, seq: 101, ack: 501 };
    yield { c, fromClient: true, flags: 0x14, seq: 101, ack: 501 };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'teardown-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(file: string, o: Partial<ViewOptions>, budget?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const options = viewOptionsOf(o);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]): Writable => new Writable({ write(chunk: Buffer, _e, done) { into.push(Buffer.from(chunk)); done(); } });
  const code = await runAnalyze(file, options, sink(out), sink(err), budget);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('the row budget', () => {
  const file = join(dir, 'short.pcap');
  writeFileSync(file, capture(shortConnections(50), 200));

  it('keeps rows up to the budget, then none, with every verdict and a note', async () => {
    const json = await analyze(file, { format: 'json' }, 30);
    const doc = JSON.parse(json.stdout) as { capture: { rowsKept?: number }; flows: Array<{ packets?: unknown[]; teardown: { class: string } }> };
    expect(json.code).toBe(0);
    expect(doc.capture.rowsKept).toBe(30);
    expect(doc.flows).toHaveLength(50);
    expect(doc.flows.every((f) => f.teardown.class === 'abort')).toBe(true);
    expect(doc.flows.map((f) => f.packets?.length ?? 0)).toEqual([4, 4, 4, 4, 4, 4, 4, 2, ...Array<number>(42).fill(0)]);
    expect(json.stderr).toMatch(/^teardown: packet rows were kept for the first 30 packets only .*--flow N.*--no-packets\n$/);

    const text = await analyze(file, {}, 30);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('Summary: 50 connections (abort 50)');
    expect(text.stdout.endsWith('packet rows were kept for the first 30 packets only (the row budget, about 256 MB); the verdicts cover every packet. A connection\'s rows: --flow N; verdicts only: --no-packets\n')).toBe(true);

    // --flow brings a connection's rows back within the budget.
    const one = await analyze(file, { format: 'json', flow: [20] }, 30);
    expect(JSON.parse(one.stdout).flows[0].packets).toHaveLength(4);
    expect(one.stderr).toBe('');
  });

  it('changes nothing below the budget', async () => {
    for (const format of ['text', 'json', 'ndjson'] as const) {
      const whole = await analyze(file, { format });
      const budget = await analyze(file, { format }, 200);
      expect(budget).toEqual(whole);
      expect(budget.stdout).not.toContain('rowsKept');
    }
  });

  const n = ROW_BUDGET + 10_000;
  function* longConnection(): Generator<Packet> {
    yield { c: 1, fromClient: true, flags: 0x02, seq: 100, ack: 0 };
    yield { c: 1, fromClient: false, flags: 0x12, seq: 500, ack: 101 };
    for (let i = 2; i < n; i++) yield { c: 1, fromClient: i % 2 === 0, flags: 0x10, seq: i % 2 ? 501 : 101, ack: i % 2 ? 101 : 501 };
  }

  it('holds for standard input through the CLI (a long connection past the budget)', () => {
    const outFile = join(dir, 'stdin.txt');
    const fd = openSync(outFile, 'w');
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', '--color', 'never'], {
      cwd: ROOT, input: capture(longConnection(), n), stdio: ['pipe', fd, 'pipe'], env: { ...process.env, LANG: 'C.UTF-8' },
    });
    closeSync(fd);
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    const size = statSync(outFile).size;
    const text = readFileSync(outFile);
    const tail = text.subarray(Math.max(0, size - 4096)).toString('utf8');
    expect(tail).toContain(`packet rows were kept for the first ${ROW_BUDGET} packets only`);
    expect(tail).toContain(`#1–#${n}`);
    expect(text.includes(`\n${ROW_BUDGET} `)).toBe(true);
    expect(text.includes(`\n${ROW_BUDGET + 1} `)).toBe(false);
  }, 120_000);

  it('in JSON, says so on stderr after the whole document: with both on one file (2>&1), the line comes last', () => {
    const outFile = join(dir, 'stdin.json');
    const fd = openSync(outFile, 'w');
    const r = spawnSync(process.execPath, [CLI, 'analyze', '-', '--format', 'json'], {
      cwd: ROOT, input: capture(longConnection(), n), stdio: ['pipe', fd, fd], env: { ...process.env, LANG: 'C.UTF-8' },
    });
    closeSync(fd);
    expect(r.status).toBe(0);
    const size = statSync(outFile).size;
    const tail = readFileSync(outFile).subarray(Math.max(0, size - 4096)).toString('utf8');
    expect(tail).toMatch(new RegExp(`\n  "errors": \\[\\]\n\\}\nteardown: packet rows were kept for the first ${ROW_BUDGET} packets only[^\n]*\n$`));
  }, 120_000);
});

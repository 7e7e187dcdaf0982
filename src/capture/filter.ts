/**
 * A capture filter on a capture read from a file or standard input (docs/contract.md, "Capture
 * filter"): the bytes go through `tcpdump -r - -w - FILTER`, the libpcap engine `live` captures
 * with, so a filter means what it means to tcpdump and to `live`. A plain file is handed to tcpdump
 * by name (it reads it itself); gzip or standard input are fed to its standard input, inflated.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UnreadableCaptureError } from './record.js';

function tcpdumpBinary(): string {
  return process.env['TEARDOWN_TCPDUMP'] || 'tcpdump';
}

/** Whether `path` is a regular file that does not start as gzip: tcpdump can read it itself. */
async function plainFile(path: string): Promise<boolean> {
  if (path === '-') return false;
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return false; // the read through standard input reports it
  }
  try {
    if (!(await file.stat()).isFile()) return false;
    const head = new Uint8Array(2);
    await file.read(head, 0, 2, 0);
    return !(head[0] === 0x1f && head[1] === 0x8b);
  } finally {
    await file.close();
  }
}

/**
 * The capture at `path` as tcpdump writes what passes `filter` (a classic pcap stream, nanosecond
 * timestamps, so none is rounded). `chunks` gives the bytes when tcpdump cannot read `path`
 * itself. A filter tcpdump refuses, or tcpdump missing, is an UnreadableCaptureError (exit 2).
 */
export async function* filteredChunks(path: string, filter: readonly string[], chunks: () => AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const tcpdump = tcpdumpBinary();
  const byName = await plainFile(path);
  const args = ['-r', byName ? path : '-', '-w', '-', '--time-stamp-precision', 'nano', '--', ...filter];
  const child = spawn(tcpdump, args, { stdio: [byName ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const { stdout, stderr: said } = child;
  if (stdout === null || said === null) throw new Error('tcpdump was started without pipes');
  let stderr = '';
  said.setEncoding('utf8');
  said.on('data', (t: string) => (stderr += t));
  const exited = new Promise<{ code: number | null; failed?: Error }>((resolve) => {
    child.on('error', (err) => resolve({ code: null, failed: err }));
    child.on('close', (code) => resolve({ code }));
  });
  // tcpdump may stop reading (a bad filter) before the input is over: its EPIPE is not ours to report.
  const feeding = child.stdin ? pipeline(Readable.from(chunks()), child.stdin).catch((err: unknown) => err) : Promise.resolve(undefined);
  try {
    for await (const chunk of stdout) yield chunk as Buffer;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const { code, failed } = await exited;
  const fed = await feeding;
  if (failed !== undefined) {
    const missing = (failed as NodeJS.ErrnoException).code === 'ENOENT';
    throw missing
      ? new UnreadableCaptureError(`${tcpdump} not found: a capture filter needs tcpdump (apt-get install tcpdump)`, { kind: 'no-tcpdump', tcpdump })
      : new UnreadableCaptureError(`cannot run ${tcpdump}: ${failed.message}`);
  }
  if (fed instanceof UnreadableCaptureError) throw fed;
  if (code !== 0) {
    const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('reading from'));
    const [words, on, detail] = [filter.join(' '), path === '-' ? 'stdin' : path, (lines[0] ?? `tcpdump exited with status ${String(code)}`).replace(/^tcpdump: /, '')];
    throw new UnreadableCaptureError(`capture filter '${words}' on ${on}: ${detail}`, { kind: 'bad-filter', filter: words, path: on, detail });
  }
}

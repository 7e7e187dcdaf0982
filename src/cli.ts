#!/usr/bin/env node
import { hideBin, main } from './cli/main.js';

// A reader that stops early (`teardown analyze x.pcap | head`) is not an error: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// Writes to a pipe block until the reader takes them, as Node makes a terminal's block: with the
// pipe left non-blocking, a reader slower than the analysis (`| less`, `| gzip`, `| jq`) had every
// line queued in memory, so the peak grew with the output (measured: 418 MB for the benchmark's
// text report into a reader that waited 3 s, 229 MB now). `setBlocking` is the libuv call behind
// tty.WriteStream's; a file or terminal is written synchronously already.
const stdoutHandle = (process.stdout as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
if ((process.stdout as { _type?: string })._type === 'pipe') stdoutHandle?.setBlocking?.(true);

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});

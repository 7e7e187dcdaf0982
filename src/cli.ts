#!/usr/bin/env node
import { EXIT } from './cli/exit.js';
import { hideBin, main } from './cli/main.js';
import { outputErrorLine } from './cli/output.js';

// A reader that stops early (`teardown analyze x.pcap | head`) is not an error: stop quietly. Any
// other failure to write (a full disk, an I/O error) is one line and exit 2, for every command: the
// output is incomplete, and nothing more can be said on it.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(outputErrorLine(err));
  process.exit(EXIT.usage);
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

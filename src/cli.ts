#!/usr/bin/env node
import { EXIT } from './cli/exit.js';
import { interruptedBy } from './cli/interrupt.js';
import { hideBin, main } from './cli/main.js';
import { outputErrorLine } from './cli/output.js';
import { FdOutput } from './cli/fd-output.js';
import { langOf } from './cli/lang.js';
import { message } from './cli/messages.js';

const argv = hideBin(process.argv);
/** The language of the lines written here, as main's (cli/lang.ts). */
const lang = langOf(argv, process.env);

// A reader that stops early (`teardown analyze x.pcap | head`) is not an error: stop quietly. Any
// other failure to write (a full disk, an I/O error) is one line and exit 2, for every command: the
// output is incomplete, and nothing more can be said on it.
function outputFailed(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(outputErrorLine(err, lang));
  process.exit(EXIT.usage);
}
process.stdout.on('error', outputFailed);

// Writes to a pipe block until the reader takes them, as Node makes a terminal's block: with the
// pipe left non-blocking, a reader slower than the analysis (`| less`, `| gzip`, `| jq`) had every
// line queued in memory, so the peak grew with the output (measured: 418 MB for the benchmark's
// text report into a reader that waited 3 s, 229 MB now). `setBlocking` is the libuv call behind
// tty.WriteStream's; a file or terminal is written synchronously already. The commands then write
// the pipe with write(2) itself (FdOutput), which hears at once of a reader that has gone.
const stdoutHandle = (process.stdout as { _handle?: { setBlocking?: (blocking: boolean) => number } })._handle;
const intoPipe = (process.stdout as { _type?: string })._type === 'pipe';
if (intoPipe) stdoutHandle?.setBlocking?.(true);

/**
 * The reader of the pipe has gone. After Ctrl-C it most often got the same signal (`teardown live
 * ... | tee log`): the rest of the report goes to standard error, so the summary is still seen
 * (docs/contract.md, "Interrupted input"). Otherwise (`| head`) the run stops here, quietly.
 */
function readerGone(): number {
  if (interruptedBy() === undefined) process.exit(0);
  process.stderr.write(`\nteardown: ${message('readerGone')(lang)}\n`);
  return 2;
}

const stdout = intoPipe ? new FdOutput(1, readerGone).on('error', outputFailed) : process.stdout;

main(argv, stdout).then((code) => {
  // After Ctrl-C, a read that never ends (a FIFO's writer still there) must not hold the process.
  if (interruptedBy() !== undefined) process.exit(code);
  process.exitCode = code;
});

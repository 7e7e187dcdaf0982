import { closeSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT, systemReason } from './exit.js';
import { message } from './messages.js';
import { FdOutput } from './fd-output.js';

/**
 * `-o FILE` (docs/contract.md, "Packet count and output file"). A report (`analyze`, `report`,
 * `check`) is written to a temporary file beside FILE and renamed over it once the run is done, so
 * FILE is never a report cut short by a full disk, an error or a second Ctrl-C, and a run that
 * fails before writing anything leaves it as it was. `live` writes FILE as it goes (`atomic` false): its output is a log, read while it grows.
 */
export class OutputFile {
  readonly stream: FdOutput;
  private done = false;
  /** The first write that failed (a full disk): the run's output is incomplete. */
  failed: unknown;

  private constructor(private readonly path: string, private readonly temp: string | undefined, private readonly fd: number) {
    this.stream = new FdOutput(fd);
    this.stream.on('error', (err) => (this.failed ??= err));
    // A run ended by a second signal, or by process.exit anywhere, leaves no temporary file behind.
    process.once('exit', () => this.abandon());
  }

  static open(path: string, atomic: boolean): OutputFile {
    // Only a regular file (or a new one) is replaced by renaming: a device (/dev/null), a FIFO or a
    // symbolic link is written as it is, never renamed over.
    const temp = atomic && replaceable(path) ? join(dirname(path), `.${basename(path)}.teardown-${process.pid}.tmp`) : undefined;
    try {
      return new OutputFile(path, temp, openSync(temp ?? path, temp ? 'wx' : 'w', 0o666));
    } catch (err) {
      throw new CliError(message('cannotWrite', { path, reason: systemReason(err) }), EXIT.usage);
    }
  }

  /** The run is done: FILE becomes what was written. */
  commit(): void {
    if (this.done) return;
    if (this.failed !== undefined) {
      this.abandon();
      throw new CliError(message('cannotWrite', { path: this.path, reason: systemReason(this.failed) }), EXIT.usage);
    }
    this.done = true;
    try {
      if (this.temp !== undefined) fsyncSync(this.fd);
      closeSync(this.fd);
      if (this.temp !== undefined) renameSync(this.temp, this.path);
    } catch (err) {
      this.removeTemp();
      throw new CliError(message('cannotWrite', { path: this.path, reason: systemReason(err) }), EXIT.usage);
    }
  }

  /** The run failed: FILE is left as it was (a live log keeps what it has). */
  abandon(): void {
    if (this.done) return;
    this.done = true;
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    if (this.temp === undefined) return;
    try {
      unlinkSync(this.temp);
    } catch {
      // not there
    }
  }
}

/** Whether `path` is a regular file or nothing yet (not a device, FIFO, directory or symbolic link). */
function replaceable(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return true;
  }
}

/**
 * Runs a command with its output in `path` (`-`, or none: `stdout`). FILE becomes what the run
 * wrote once it is done, whatever its status; a run that wrote nothing and failed (exit 2: an empty
 * selection) or threw (unreadable input) leaves FILE as it was.
 */
export async function withOutputFile<T extends number>(
  path: string | undefined, atomic: boolean, stdout: NodeJS.WritableStream, run: (out: NodeJS.WritableStream) => Promise<T>,
): Promise<T> {
  if (path === undefined || path === '-') return run(stdout);
  const file = OutputFile.open(path, atomic);
  try {
    const code = await run(file.stream);
    // Written errors are reported after the stream has had its turn to emit them.
    await new Promise((resolve) => setImmediate(resolve));
    if (code === EXIT.usage && atomic && file.failed === undefined && file.stream.written === 0) file.abandon();
    else file.commit();
    return code;
  } catch (err) {
    file.abandon();
    throw err;
  }
}

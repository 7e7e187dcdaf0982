import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CaptureParser, STDIN_NAME, fileChunks } from '../../capture/read.js';
import { UnreadableCaptureError } from '../../capture/record.js';
import type { CaptureRecord } from '../../capture/record.js';
import { PcapngWriter } from '../../capture/pcapng-write.js';
import { Analyzer } from '../../analysis/analyze.js';
import { AnnotationPlan } from '../../render/annotation-plan.js';
import { summaryComment } from '../../render/annotate.js';
import type { Lang } from '../../render/notes.js';
import { CliError, EXIT, systemReason } from '../exit.js';
import { message, unreadableWords } from '../messages.js';
import type { ExitCode } from '../exit.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { analyzeFile, damageLine, fileSize } from './analyze.js';

export interface AnnotateOptions {
  /** The pcapng file to write; `-` for standard output. */
  output: string;
  lang: Lang;
  /** shb_userappl: the program that wrote the file. */
  application: string;
}

/**
 * `teardown annotate <capture> -o out.pcapng` (docs/annotate.md): the capture's packets, byte for
 * byte, as pcapng with teardown's reading as comments. Two passes: the first analyses the capture
 * and keeps every packet's comment (render/annotation-plan.ts), the second copies the packets with
 * them; standard input, which cannot be read twice, is kept in a temporary file as the first pass
 * reads it. Exit statuses as analyze: 2 unreadable input or an output that cannot be written, 3
 * damaged input (the packets before the damage are written).
 */
export async function runAnnotate(path: string, o: AnnotateOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  const name = path === '-' ? STDIN_NAME : path;
  if (path !== '-' && o.output !== '-' && sameFile(path, o.output)) {
    throw new CliError(message('annotateSameFile', { path: o.output }), EXIT.usage);
  }
  if (o.output === '-' && (out as NodeJS.WriteStream).isTTY === true) {
    throw new CliError(message('annotateTerminal'), EXIT.usage, true);
  }
  // Known before the first pass, which may take a while: the file is opened only after it, so that
  // an unreadable capture leaves an existing file as it was.
  if (o.output !== '-') writable(o.output);
  const plan = new AnnotationPlan(o.lang);
  const spool = path === '-' ? new Spool() : undefined;
  try {
    const analyzer = new Analyzer(name, {
      packets: false, keepFlows: false, onNotes: (c, no, notes) => plan.packet(c, no, notes), onFlow: (c, v) => plan.flow(c, v),
    });
    const size = fileSize(path);
    // A progress line for each pass (on a terminal, for a large file).
    const progress = (): Progress | undefined => (Progress.wanted(err, size) && size !== undefined ? new Progress(err, size, o.lang) : undefined);
    const report = await analyzeFile(path, analyzer, progress(), spool?.tee(process.stdin as AsyncIterable<Uint8Array>));
    plan.seal();
    const sink = output(o.output, out);
    try {
      const parser = new CaptureParser(name);
      const writer = new PcapngWriter(sink.write, parser);
      writer.section(Buffer.from(summaryComment(report), 'utf8'), o.application);
      const copying = progress();
      const onRecord = (r: CaptureRecord): void => {
        writer.packet(r, plan.commentOf(r.no));
        if (copying !== undefined && (r.no & 0x3fff) === 0) copying.update(r.offset, r.no);
      };
      for await (const chunk of fileChunks(spool?.path ?? path)) {
        parser.push(chunk, onRecord);
        if (parser.damage !== undefined) break;
      }
      if (parser.info !== undefined) writer.statistics(parser.info);
      writer.flush();
      copying?.done();
    } catch (e) {
      if (e instanceof UnreadableCaptureError) throw new CliError(unreadableWords(e), EXIT.usage);
      throw e;
    } finally {
      sink.close();
    }
    for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, o.lang))}\n`);
    return report.errors.length ? EXIT.damaged : EXIT.ok;
  } finally {
    plan.close();
    spool?.remove();
  }
}

/** Where the pcapng goes: a file (written synchronously), or standard output (each piece copied: the writer reuses its buffer). */
function output(to: string, out: NodeJS.WritableStream): { write: (bytes: Uint8Array) => void; close: () => void } {
  if (to === '-') return { write: (bytes) => void out.write(Buffer.from(bytes)), close: () => undefined };
  let fd: number;
  try {
    fd = openSync(to, 'w');
  } catch (e) {
    throw new CliError(message('cannotWrite', { path: to, reason: systemReason(e) }), EXIT.usage);
  }
  return {
    write: (bytes) => {
      try {
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      } catch (e) {
        throw new CliError(message('cannotWrite', { path: to, reason: systemReason(e) }), EXIT.usage);
      }
    },
    close: () => closeSync(fd),
  };
}

/**
 * Standard input kept in a temporary file as the first pass reads it, for the second. Removed at
 * the end, whatever happened.
 */
class Spool {
  private readonly dir = mkdtempSync(join(tmpdir(), 'teardown-annotate-'));
  readonly path = join(this.dir, 'stdin');
  private readonly fd = openSync(this.path, 'wx', 0o600);

  async *tee(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of input) {
      try {
        for (let done = 0; done < chunk.length; ) done += writeSync(this.fd, chunk, done, chunk.length - done);
      } catch (e) {
        throw new CliError(message('stdinKeep', { path: this.path, reason: systemReason(e) }), EXIT.usage);
      }
      yield chunk;
    }
  }

  remove(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Throws the error writing `path` would meet, as far as can be told without touching it: a missing or read-only directory. */
function writable(path: string): void {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
  } catch (e) {
    throw new CliError(message('cannotWrite', { path, reason: systemReason(e) }), EXIT.usage);
  }
}

/** Whether two paths name one file (the output would truncate the input before its second pass). */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

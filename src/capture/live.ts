/**
 * The live reading stage: a spawned `tcpdump -i IFACE -U -w - FILTER` whose standard output (a
 * classic pcap stream) feeds the same CaptureParser that reads files and standard input.
 *
 * Why tcpdump rather than a libpcap binding (docs/live-and-lab.md, "Why tcpdump", has the figures): the `cap` package
 * gives no packet timestamps, lost packets in most runs with its 10 MiB buffer and needs a native
 * build; tcpdump with `-U -w -` was lossless in every run, carries the kernel's timestamps, and
 * its failures (no permission, no such device, a bad filter) come as libpcap's own messages.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { closeSync, constants, createWriteStream, ftruncateSync, openSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { CaptureParser } from './read.js';
import type { OnRecord } from './read.js';
import { UnreadableCaptureError } from './record.js';
import type { CaptureDamage, CaptureInfo } from './record.js';

export interface LiveOptions {
  iface: string;
  /** BPF filter words, as tcpdump takes them (joined with spaces). */
  filter: string[];
  /** Stop after this many packets (tcpdump `-c`). */
  count?: number;
  /** Also write the raw pcap stream to this file. */
  writeFile?: string;
  /** Deliver each packet as it arrives (tcpdump `--immediate-mode`); default true. */
  immediate?: boolean;
  /**
   * Bytes kept of each packet (tcpdump `-s`; 0 = whole packets). The analysis needs only headers
   * (payload lengths come from the IP header), and copying less is what lets a capture keep up.
   */
  snaplen?: number;
  /** Kernel capture buffer in KiB (tcpdump `-B`). */
  bufferKiB?: number;
  /** The tcpdump binary; default $TEARDOWN_TCPDUMP or `tcpdump` on the PATH. */
  tcpdump?: string;
}

/** tcpdump's closing counts; null when it did not print them (killed, or an older version). */
export interface LiveStats {
  captured: number | null;
  received: number | null;
  dropped: number | null;
}

export interface LiveResult {
  /** The pcap header's facts; undefined when tcpdump wrote nothing. */
  info: CaptureInfo | undefined;
  damage: CaptureDamage | undefined;
  records: number;
  stats: LiveStats;
  /** tcpdump's other stderr lines after it started listening (warnings, a lost interface). */
  messages: string[];
  /** Wall-clock time when tcpdump exited: the end of the capture, which a pcap cannot record. */
  stoppedAt: { sec: number; nsec: number };
  /**
   * Why the capture ended early, when tcpdump did not stop because it was asked to or reached
   * its count: killed by a signal, or exited with an error status (one line, for exit status 2).
   */
  failure?: string;
}

/**
 * Why a capture could not start, as data, where teardown knows it (else the message only): the
 * CLI words it in the language in force. `detail` is tcpdump's own first line.
 */
export type LiveFailure =
  | { kind: 'no-tcpdump'; tcpdump: string }
  | { kind: 'needs-root'; iface: string; detail: string }
  | { kind: 'no-interface'; iface: string; interfaces: string[] }
  | { kind: 'bad-filter'; filter: string; detail: string };

/** A capture that could not start or went wrong: a one-line message for the user (exit 2). */
export class LiveCaptureError extends Error {
  constructor(message: string, readonly reason?: LiveFailure) {
    super(message);
    this.name = 'LiveCaptureError';
  }
}

const GRANT = 'run teardown as root (sudo), or give tcpdump the capability: sudo setcap cap_net_raw,cap_net_admin=eip $(which tcpdump)';

/** The capture interfaces tcpdump knows (`tcpdump -D`), else the kernel's list (/sys/class/net). */
export function listInterfaces(tcpdump = defaultTcpdump()): string[] {
  const r = spawnSync(tcpdump, ['-D'], { encoding: 'utf8', timeout: 5000 });
  const fromTcpdump = (r.stdout ?? '').split('\n').map((l) => /^\d+\.(\S+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
  if (fromTcpdump.length) return fromTcpdump;
  try {
    return readdirSync('/sys/class/net').sort();
  } catch {
    return [];
  }
}

function defaultTcpdump(): string {
  return process.env['TEARDOWN_TCPDUMP'] || 'tcpdump';
}

/** Turns tcpdump's complaint before it started listening into the one line the user sees. */
export function diagnose(stderr: string, o: LiveOptions, tcpdump: string): LiveCaptureError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const first = (lines[0] ?? 'exited without a message').replace(/^tcpdump: /, '');
  if (/permission|Operation not permitted/i.test(stderr)) {
    return new LiveCaptureError(`capturing on ${o.iface} needs root or CAP_NET_RAW (tcpdump: ${first}): ${GRANT}`, { kind: 'needs-root', iface: o.iface, detail: first });
  }
  if (/No such device|doesn't exist|no suitable device|not up|SIOCGIFHWADDR/i.test(stderr)) {
    const names = listInterfaces(tcpdump);
    return new LiveCaptureError(`no interface ${o.iface}${names.length ? `; interfaces: ${names.join(', ')}` : ''}`, { kind: 'no-interface', iface: o.iface, interfaces: names });
  }
  const filter = o.filter.join(' ');
  if (o.filter.length) return new LiveCaptureError(`bad capture filter '${filter}': ${first}`, { kind: 'bad-filter', filter, detail: first });
  return new LiveCaptureError(`tcpdump failed: ${first}`);
}

function parseStats(lines: string[]): LiveStats {
  const find = (re: RegExp): number | null => {
    for (const l of lines) {
      const m = re.exec(l);
      if (m?.[1] !== undefined) return Number(m[1]);
    }
    return null;
  };
  return {
    captured: find(/^(\d+) packets? captured/),
    received: find(/^(\d+) packets? received by filter/),
    dropped: find(/^(\d+) packets? dropped by kernel/),
  };
}

const isStatsLine = (l: string): boolean => /^\d+ packets? (captured|received by filter|dropped by)/.test(l);

type Tcpdump = ChildProcessByStdio<null, Readable, Readable>;

/**
 * The watchdog that ends tcpdump when teardown dies however it dies (SIGKILL, SIGHUP, SIGQUIT, a
 * crash, a closed pipe): a shell reading a pipe from teardown that teardown never writes. The
 * pipe closes when teardown's process ends, whatever ended it; `cat` then sees its end and the
 * shell sends tcpdump SIGTERM. It ignores the terminal's signals (Ctrl-C reaches the whole process
 * group; teardown stops tcpdump itself then). Linux's PR_SET_PDEATHSIG would do it in the kernel, but Node cannot
 * set it for a child. When tcpdump exits first, teardown kills the shell before closing the pipe.
 */
const WATCHDOG = 'trap "" INT HUP QUIT; cat >/dev/null; kill -TERM "$1" 2>/dev/null';

/**
 * One running capture. `start()` resolves once tcpdump says it is listening (so traffic sent after
 * it is captured) and rejects with a LiveCaptureError when it cannot start. `done` resolves once
 * tcpdump has exited and every byte it wrote has been parsed (and written to the file).
 */
export class LiveCapture {
  readonly done: Promise<LiveResult>;
  private readonly parser = new CaptureParser('live capture');
  private readonly child: Tcpdump;
  private file: WriteStream | undefined;
  private readonly listening: Promise<void>;
  private readonly watchdog: ChildProcessByStdio<Writable, null, null> | undefined;
  /** stop() was called: tcpdump's end is the one asked for. */
  private stopping = false;
  private stderr = '';
  private afterListening: string[] = [];
  private started = false;

  private constructor(opts: LiveOptions, onRecord: OnRecord) {
    const tcpdump = opts.tcpdump ?? defaultTcpdump();
    // The -w file is opened (so an unwritable path fails before capturing) but emptied only once
    // tcpdump is listening: a capture that cannot start leaves an existing file as it was.
    const output = opts.writeFile === undefined ? undefined : openOutput(opts.writeFile);
    const args = ['-i', opts.iface, '-U', '-w', '-'];
    if (opts.immediate !== false) args.push('--immediate-mode');
    if (opts.count !== undefined) args.push('-c', String(opts.count));
    if (opts.snaplen !== undefined) args.push('-s', String(opts.snaplen));
    if (opts.bufferKiB !== undefined) args.push('-B', String(opts.bufferKiB));
    if (opts.filter.length) args.push('--', ...opts.filter);
    this.child = spawn(tcpdump, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = this.child.pid;
    if (pid !== undefined) {
      const dog = spawn('/bin/sh', ['-c', WATCHDOG, 'teardown-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
      dog.on('error', () => undefined);
      dog.stdin.on('error', () => undefined);
      this.watchdog = dog;
    }

    /** tcpdump's bytes before it said it was listening (the pcap header): written once the file is emptied. */
    let early: Buffer[] | undefined = [];
    const startFile = (): void => {
      if (output === undefined) return;
      ftruncateSync(output.fd, 0);
      this.file = createWriteStream('', { fd: output.fd, start: 0 });
      this.file.on('error', (err) => this.afterListening.push(`cannot write ${opts.writeFile}: ${err.message}`));
      for (const chunk of early ?? []) this.file.write(chunk);
    };
    const out = this.child.stdout;
    out.on('data', (chunk: Buffer) => {
      this.parser.push(chunk, onRecord);
      if (!this.started) {
        early?.push(Buffer.from(chunk));
        return;
      }
      // Backpressure: a slow disk pauses the pipe rather than buffering without bound.
      if (this.file && !this.file.write(chunk)) {
        out.pause();
        this.file.once('drain', () => out.resume());
      }
    });

    let onListening: () => void = () => undefined;
    let onFailed: (e: Error) => void = () => undefined;
    this.listening = new Promise<void>((resolve, reject) => {
      onListening = () => {
        startFile();
        early = undefined;
        resolve();
      };
      onFailed = reject;
    });
    this.child.stderr.setEncoding('utf8');
    let partial = '';
    this.child.stderr.on('data', (text: string) => {
      this.stderr += text;
      partial += text;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.stderrLine(line, onListening);
    });
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      onFailed(err.code === 'ENOENT'
        ? new LiveCaptureError(`${tcpdump} not found: live capture needs tcpdump (apt-get install tcpdump)`, { kind: 'no-tcpdump', tcpdump })
        : new LiveCaptureError(`cannot run ${tcpdump}: ${err.message}`));
    });

    this.done = new Promise<LiveResult>((resolve, reject) => {
      this.child.on('close', (code, signal) => {
        this.stopWatchdog();
        const nowMs = Date.now();
        const stoppedAt = { sec: Math.floor(nowMs / 1000), nsec: (nowMs % 1000) * 1e6 };
        if (partial) this.stderrLine(partial, onListening);
        if (!this.started) {
          const failure = diagnose(this.stderr, opts, tcpdump);
          onFailed(failure);
          if (output !== undefined) output.abandon();
          reject(failure);
          return;
        }
        let damage: CaptureDamage | undefined;
        try {
          damage = this.parser.end();
        } catch (err) {
          // tcpdump exited before writing even the pcap header: an empty capture, not an error.
          if (!(err instanceof UnreadableCaptureError)) throw err;
        }
        const messages = this.afterListening.filter((l) => !isStatsLine(l));
        let failure: string | undefined;
        if (signal !== null && !(this.stopping && signal === 'SIGINT')) failure = `tcpdump was killed by ${signal} during the capture`;
        else if (code !== 0 && code !== null) failure = `tcpdump exited with status ${code} during the capture`;
        const result: LiveResult = {
          info: this.parser.info, damage, records: this.parser.recordsRead, stats: parseStats(this.afterListening), messages, stoppedAt,
          ...(failure !== undefined ? { failure } : {}),
        };
        if (this.file) this.file.end(() => resolve(result));
        else resolve(result);
      });
    });
    // `done` is also awaited by callers; this keeps an early failure from being reported as unhandled.
    this.done.catch(() => undefined);
  }

  /** Starts tcpdump and waits until it is listening. */
  static async start(opts: LiveOptions, onRecord: OnRecord): Promise<LiveCapture> {
    const c = new LiveCapture(opts, onRecord);
    await c.listening;
    return c;
  }

  /** Stops the capture as Ctrl-C does: tcpdump flushes, prints its counts and exits. */
  stop(): void {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGINT');
  }

  /** tcpdump has exited: the watchdog is killed first, then its pipe closed, so it signals nobody. */
  private stopWatchdog(): void {
    const dog = this.watchdog;
    if (dog === undefined) return;
    dog.kill('SIGKILL');
    dog.stdin.destroy();
  }

  /** Packets parsed so far. */
  get records(): number {
    return this.parser.recordsRead;
  }

  private stderrLine(line: string, onListening: () => void): void {
    const l = line.trim();
    if (!l) return;
    if (!this.started && /^(tcpdump: )?listening on /.test(l)) {
      this.started = true;
      onListening();
      return;
    }
    if (this.started) this.afterListening.push(l.replace(/^tcpdump: /, ''));
  }
}

/** The -w file, open but not yet emptied; `abandon` when the capture did not start. */
interface Output {
  fd: number;
  /** Closes it, and removes it if this run created it: an existing file is left as it was. */
  abandon(): void;
}

/**
 * Opens the -w file up front, so an unwritable path is a one-line error before capturing, but
 * without emptying it (no O_TRUNC): that waits until tcpdump is listening.
 */
function openOutput(path: string): Output {
  let existed = true;
  try {
    statSync(path);
  } catch {
    existed = false;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new LiveCaptureError(`cannot write ${path}: ${why}`);
  }
  return {
    fd,
    abandon: () => {
      closeSync(fd);
      if (!existed) {
        try {
          unlinkSync(path);
        } catch {
          // Gone already: nothing to undo.
        }
      }
    },
  };
}

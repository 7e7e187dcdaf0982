/**
 * The files `teardown check` reads and writes, in a directory it cannot trust (docs/testing.md,
 * "Hostile input"): captures found without following links out of the tree, expectation files read
 * only when they are regular files of bounded size, and written by replacing them whole.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync, closeSync, constants, fchownSync, fstatSync, fsyncSync, lstatSync, openSync, readSync, readdirSync,
  renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { CliError, EXIT, systemReason } from './exit.js';
import { message } from './messages.js';
import type { Wording } from './messages.js';
import { bytesName } from './terminal-text.js';

export const CAPTURE_NAME = /\.(pcap|pcapng|cap)$/i;

/** A capture to check, or a path that could not be one (`problem` says why, in one line). */
export interface FoundCapture {
  path: string;
  problem?: Wording;
}

const codeOf = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';

/** What a file that is not a regular file is, for messages. */
function kindOf(st: Stats): Wording {
  if (st.isDirectory()) return message('aDirectory');
  if (st.isFIFO()) return message('aFifo');
  if (st.isCharacterDevice()) return message('aCharacterDevice');
  if (st.isBlockDevice()) return message('aBlockDevice');
  if (st.isSocket()) return message('aSocket');
  if (st.isSymbolicLink()) return message('aSymbolicLink');
  return message('aRegularFile');
}

/**
 * The captures named: files as given, directories searched recursively, in sorted order. Inside a
 * directory, a symbolic link to a directory is not followed (a link to `..` would never end, and
 * `--update` would write outside the tree given); a capture's name that cannot be read as a file
 * (a dangling link, a link loop, a name that is not UTF-8) comes back with its problem, so that the
 * run reports it and goes on. A path given that does not exist is a usage error.
 */
export function findCaptures(paths: string[]): FoundCapture[] {
  const out: FoundCapture[] = [];
  const walk = (dir: string): void => {
    let names: Buffer[];
    try {
      names = readdirSync(dir, { encoding: 'buffer' });
    } catch (err) {
      out.push({ path: dir, problem: message('cannotList', { reason: systemReason(err) }) });
      return;
    }
    const entries = names.map((raw) => ({ raw, text: raw.toString('utf8') })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    for (const { raw, text } of entries) {
      // Node decodes a name that is not UTF-8 with replacement characters: a name of no file.
      const utf8 = Buffer.from(text, 'utf8').equals(raw);
      const shown = join(dir, utf8 ? text : bytesName(raw));
      const isCapture = CAPTURE_NAME.test(raw.toString('latin1'));
      let st: Stats;
      try {
        st = lstatSync(utf8 ? shown : Buffer.concat([Buffer.from(dir + sep), raw]));
      } catch (err) {
        if (isCapture) out.push({ path: shown, problem: message('cannotReadIt', { reason: systemReason(err) }) });
        continue;
      }
      if (!utf8 && (st.isDirectory() || isCapture)) {
        out.push({ path: shown, problem: message('notUtf8') });
      } else if (st.isDirectory()) {
        walk(shown);
      } else if (isCapture) {
        out.push({ path: shown });
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      throw new CliError(message('cannotRead', { path: p, reason: systemReason(err) }), EXIT.usage);
    }
    if (st.isDirectory()) walk(p);
    else out.push({ path: p });
  }
  return out;
}

/**
 * Why `path` (a capture) cannot be read as a regular file, or undefined when it can. A FIFO would
 * block the run until something wrote to it; a device (/dev/zero, /dev/urandom) never ends.
 */
export function notRegularFile(path: string): Wording | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? undefined : message('notRegular', { path, kind: kindOf(st) });
  } catch (err) {
    return unreadable(path, err);
  }
}

/** The one-line reason a path could not be opened; a dangling link and a socket said as such. */
function unreadable(path: string, err: unknown): Wording {
  if (codeOf(err) === 'ENXIO') {
    try {
      return message('notRegular', { path, kind: kindOf(statSync(path)) });
    } catch {
      // gone meanwhile: the first error says so
    }
  }
  if (codeOf(err) === 'ENOENT') {
    try {
      if (lstatSync(path).isSymbolicLink()) return message('danglingLink', { path });
    } catch {
      // gone meanwhile: the first error says so
    }
  }
  return message('cannotRead', { path, reason: systemReason(err) });
}

export type ReadResult = { state: 'missing' } | { state: 'text'; text: string } | { state: 'problem'; message: Wording };

/**
 * A small text file that may be anything: absent, a link, a FIFO, a device. Opened without
 * blocking (a FIFO with no writer would wait for ever) and read only when it is a regular file of
 * at most `limit` bytes, counted as read too (a file that grows while read).
 */
export function readSmallFile(path: string, limit: number): ReadResult {
  try {
    lstatSync(path);
  } catch (err) {
    return codeOf(err) === 'ENOENT' ? { state: 'missing' } : { state: 'problem', message: unreadable(path, err) };
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return { state: 'problem', message: unreadable(path, err) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { state: 'problem', message: message('notRegular', { path, kind: kindOf(st) }) };
    const tooLarge = { state: 'problem', message: message('tooLarge', { path, mib: limit / (1024 * 1024) }) } as const;
    if (st.size > limit) return tooLarge;
    const bytes = Buffer.alloc(Math.min(st.size, limit) + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size < bytes.length; size += n) n = readSync(fd, bytes, size, bytes.length - size, null);
    if (size > limit) return tooLarge;
    return { state: 'text', text: bytes.toString('utf8', 0, size) };
  } catch (err) {
    return { state: 'problem', message: unreadable(path, err) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with the text of `pieces` (strings, bytes, each written before the next is taken), or leaves it as it was: the text goes to a new file beside it,
 * synced, then renamed over it, so that a failure part-way (a full disk, a killed process) leaves
 * the old file whole and a reader never sees half of the new one. Only a regular file that may be
 * written is replaced: never what a symbolic link points to (a link planted beside a capture would
 * have `--update` write wherever it points), nor a read-only file. Throws a CliError with a one-line
 * message.
 */
export function replaceFile(path: string, pieces: Iterable<string | Uint8Array>): void {
  let old: Stats | undefined;
  try {
    old = lstatSync(path);
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') throw new CliError(message('cannotWrite', { path, reason: systemReason(err) }), EXIT.usage);
  }
  if (old !== undefined) {
    if (old.isSymbolicLink()) throw new CliError(message('willNotWrite', { path, why: message('itIsLink') }), EXIT.usage);
    if (!old.isFile()) throw new CliError(message('willNotWrite', { path, why: message('itIsKind', { kind: kindOf(old) }) }), EXIT.usage);
    let writable = (old.mode & 0o222) !== 0; // root may write anything: the mode says what the owner meant
    try {
      accessSync(path, constants.W_OK);
    } catch {
      writable = false;
    }
    if (!writable) throw new CliError(message('willNotWrite', { path, why: message('itIsReadOnly') }), EXIT.usage);
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, old ? old.mode & 0o7777 : 0o666);
  } catch (err) {
    throw new CliError(message('cannotWrite', { path, reason: systemReason(err) }), EXIT.usage);
  }
  try {
    try {
      if (old !== undefined && process.getuid?.() === 0) fchownSync(fd, old.uid, old.gid);
    } catch {
      // a file system without owners: the new file keeps root's
    }
    for (const piece of pieces) {
      const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temp, path);
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // not created, or already renamed
    }
    throw new CliError(message(old ? 'cannotWriteUnchanged' : 'cannotWrite', { path, reason: systemReason(err) }), EXIT.usage);
  }
  syncDirectory(dirname(path));
}

/** The rename is on disk once its directory is: best effort (some file systems refuse). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the file itself was synced; only the rename's durability is at stake
  }
}

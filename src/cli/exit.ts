import type { Wording } from './messages.js';

/** Exit statuses: docs/contract.md, "Exit codes". */
export const EXIT = {
  ok: 0,
  mismatch: 1,
  usage: 2,
  damaged: 3,
} as const;

/**
 * The status of a run whose input a signal ended (docs/contract.md, "Exit codes"): 128 + the
 * signal's number, what a shell reports for a process the signal killed, so that a script sees an
 * interrupted run as one; the report of what was read before it is printed all the same.
 */
export const INTERRUPTED = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof INTERRUPTED;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT] | (typeof INTERRUPTED)[StopSignal];

/**
 * A failure the CLI reports in one line (no stack trace unless --debug) and exits with. Its words
 * (messages.ts) are worded when printed, in the language then in force; `message` is the English.
 */
export class CliError extends Error {
  /** `usageHint`: the mistake is in the command line, so point at --help. */
  constructor(readonly words: Wording, readonly code: ExitCode, readonly usageHint = false) {
    super(words('en'));
    this.name = 'CliError';
  }
}

/**
 * The reason of a failed system call in words, without its code, call and path:
 * "ENOSPC: no space left on device, write" gives "no space left on device".
 */
export function systemReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const words = /^[A-Z0-9_]+: ([^,]+)(,|$)/.exec(message)?.[1];
  return words ?? message;
}

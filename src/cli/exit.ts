/** Exit statuses: docs/contract.md, "Exit codes". */
export const EXIT = {
  ok: 0,
  mismatch: 1,
  usage: 2,
  damaged: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports in one line (no stack trace unless --debug) and exits with. */
export class CliError extends Error {
  /** `usageHint`: the mistake is in the command line, so point at --help. */
  constructor(message: string, readonly code: ExitCode, readonly usageHint = false) {
    super(message);
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

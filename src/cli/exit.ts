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

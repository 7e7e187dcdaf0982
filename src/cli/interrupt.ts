import { INTERRUPTED } from './exit.js';
import type { StopSignal } from './exit.js';

/**
 * Ctrl-C, SIGTERM and SIGHUP while a capture is read (docs/contract.md, "Interrupted input"): the
 * first ends the input, not the run, so what was read is analysed and printed; a second ends the
 * process at once, with the status a shell gives a process the signal killed. Outside a read
 * (writing the report) a signal acts as it always does.
 */
const STOP_SIGNALS = Object.keys(INTERRUPTED) as StopSignal[];

let received: StopSignal | undefined;

/** The signal that ended the input of this run, if one did. */
export function interruptedBy(): StopSignal | undefined {
  return received;
}

/** Until the returned function is called, the first stop signal calls `onStop`. */
export function onInterrupt(onStop: (signal: StopSignal) => void): () => void {
  const handler = (signal: StopSignal): void => {
    if (received !== undefined) process.exit(INTERRUPTED[signal]);
    received = signal;
    onStop(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}

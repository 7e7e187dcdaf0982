import { readdirSync, readFileSync } from 'node:fs';

/**
 * Whether `pid` catches SIGHUP yet, from /proc/PID/status: teardown's stop handlers are in place,
 * so it is reading its input (src/cli/interrupt.ts). Node catches SIGINT and SIGTERM from its start
 * (to restore the terminal), not SIGHUP.
 */
export function readingInput(pid: number): boolean {
  try {
    const mask = /SigCgt:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '0';
    return (BigInt(`0x${mask}`) & 1n) !== 0n; // bit 0: signal 1, SIGHUP
  } catch {
    return false;
  }
}

/** The processes of process group `pgid` whose command line contains `word`. */
export function groupMembers(pgid: number, word: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (group === pgid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(word)) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (at most 4 s) until `test` holds. */
export async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (test()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting until ${what}`);
}

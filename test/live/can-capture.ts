import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CLI } from '../golden/run-cli.js';

/** Why the live-capture tests cannot run here (they need root, tcpdump and the built CLI), or undefined. */
function skipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: live capture needs root or CAP_NET_RAW';
  const td = spawnSync('tcpdump', ['--version'], { encoding: 'utf8' });
  if (td.error || td.status !== 0) return 'tcpdump is not installed (apt-get install tcpdump)';
  if (!existsSync(CLI)) return `the CLI is not built (${CLI}): run npm run build`;
  return undefined;
}

const reason = skipReason();
if (reason) console.warn(`test/live: skipping live-capture tests: ${reason}`);

/** True when the live-capture tests are skipped (the reason printed once). */
export const skip = reason !== undefined;

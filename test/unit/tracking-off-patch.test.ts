import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('scripts/bench/tracking-off.patch (docs/performance.md, "Causes: what the new tracking costs")', () => {
  it('still applies to the tracking code, so that its cost can be measured again', () => {
    // git apply --check exits non-zero (execFileSync throws) when a hunk no longer matches src/analysis/track.ts or teardown.ts.
    expect(() => execFileSync('git', ['apply', '--check', 'scripts/bench/tracking-off.patch'], { cwd: root, stdio: 'ignore' })).not.toThrow();
  });
});

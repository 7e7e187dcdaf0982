// Rewrites every golden file (npm run golden:update, after the build): runs the test files that
// compare with golden files (those calling golden(), test/golden/golden.ts) with UPDATE_GOLDEN=1, so
// the files are written by the very code that checks them. Only this command writes them: a missing
// golden file fails every other run. Review the diff before committing: a golden file is a claim
// about what is right.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync('test', { recursive: true, withFileTypes: true })
  .filter((d) => d.isFile() && d.name.endsWith('.test.ts'))
  .map((d) => join(d.parentPath ?? d.path, d.name))
  .filter((f) => /\bgolden\(/.test(readFileSync(f, 'utf8')))
  .sort();
console.log(`updating the golden files of ${files.join(', ')}`);
const env = { ...process.env, UPDATE_GOLDEN: '1', LANG: 'C.UTF-8', NO_COLOR: '1' };
const r = spawnSync(join('node_modules', '.bin', 'vitest'), ['run', ...files], { env, stdio: 'inherit' });
process.exitCode = r.status ?? 1;

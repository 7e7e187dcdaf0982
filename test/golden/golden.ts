import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { ROOT } from './run-cli.js';

/**
 * Golden files: output checked in, compared byte for byte. A missing golden file fails, always: a
 * test that wrote its own expectation would pass on anything. They are written only by
 * `npm run golden:update` (scripts/update-golden.mjs), which sets UPDATE_GOLDEN for the test files
 * that hold goldens; review the diff before committing. A name ending in `.gz` is kept
 * gzip-compressed (outputs of generated captures, megabytes of text) and compared decompressed.
 */
export const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

export function golden(path: string, actual: string): void {
  const gz = path.endsWith('.gz');
  const rel = relative(ROOT, path);
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    // level 9 and no file name or time in the header: the same output gives the same bytes.
    writeFileSync(path, gz ? gzipSync(actual, { level: 9 }) : actual);
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${rel}: run \`npm run golden:update\`, review the new file and commit it`);
  const expected = gz ? gunzipSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8');
  if (actual === expected) return;
  if (!gz && actual.length < 200_000) {
    expect(actual, rel).toBe(expected);
    return;
  }
  // Megabytes of output: point at the first line that differs, and keep the whole output to diff.
  const keep = join(mkdtempSync(join(tmpdir(), 'teardown-golden-')), relative(dirname(path), path).replace(/\.gz$/, ''));
  writeFileSync(keep, actual);
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  expect({ line: i + 1, actual: a[i], lines: a.length }, `${rel} differs (whole output: ${keep})`).toEqual({ line: i + 1, actual: e[i], lines: e.length });
  throw new Error(`${rel} differs (whole output: ${keep})`);
}

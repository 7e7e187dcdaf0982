// Copies the example captures shipped in the package (src/cli/example-captures.ts, read from its
// build) from fixtures/ into dist/examples/, each NAME.pcap with its NAME.expect.json: git holds
// the bytes once, and every build (and so every `npm pack`, through prepack) carries them.
//
// Usage: node scripts/copy-examples.mjs   (the build runs it, after tsc)
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { EXAMPLE_CAPTURES, EXAMPLES_DIR } = await import(pathToFileURL(join(root, 'dist', 'cli', 'example-captures.js')).href);

// Emptied first, so a capture dropped from the list does not linger in the package.
rmSync(EXAMPLES_DIR, { recursive: true, force: true });
mkdirSync(EXAMPLES_DIR, { recursive: true });
for (const { name } of EXAMPLE_CAPTURES) {
  for (const file of [`${name}.pcap`, `${name}.expect.json`]) copyFileSync(join(root, 'fixtures', file), join(EXAMPLES_DIR, file));
}

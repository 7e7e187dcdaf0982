// Output snapshot for refactors: runs a built CLI (dist/cli.js by default) over every fixture, the
// peer corpus and the given large captures in several option sets, and writes each output (stdout,
// stderr, exit status) under OUT. Compare two snapshots with `diff -r A B`: a refactor that keeps
// the behaviour leaves no difference.
//
// Usage: node scripts/same-output.mjs OUT [--cli dist/cli.js] [LARGE.pcap ...]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = args.shift();
if (!out) {
  console.error('usage: node scripts/same-output.mjs OUT [--cli dist/cli.js] [LARGE.pcap ...]');
  process.exit(2);
}
let cli = join(root, 'dist', 'cli.js');
const cliAt = args.indexOf('--cli');
if (cliAt >= 0) [cli] = args.splice(cliAt, 2).slice(1);
const large = args;

function walk(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) found.push(...walk(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) found.push(p);
  }
  return found.sort();
}

const small = [...walk(join(root, 'fixtures')), ...walk(join(root, '..', 'shared', 'peer-corpus'))];
const smallSets = [
  ['text', []], ['text-zh', ['--lang', 'zh']], ['color', ['--color', 'always']], ['json', ['--format', 'json']],
  ['ndjson', ['--format', 'ndjson']], ['ndjson-np', ['--format', 'ndjson', '--no-packets']], ['text-np', ['--no-packets']],
  ['ladder', ['--ladder']], ['flow1', ['--flow', '1']], ['abs', ['--time', 'delta']],
];
const largeSets = [
  ['text', []], ['text-zh', ['--lang', 'zh']], ['ndjson', ['--format', 'ndjson', '--no-packets']],
  ['ndjson-zh', ['--format', 'ndjson', '--no-packets', '--lang', 'zh']], ['json', ['--format', 'json', '--no-packets']],
  ['color', ['--color', 'always']], ['port', ['--format', 'ndjson', '--port', '80']],
];

mkdirSync(out, { recursive: true });
let runs = 0;
function run(file, sets) {
  for (const [name, extra] of sets) {
    const r = spawnSync(process.execPath, [cli, 'analyze', file, ...extra], { encoding: 'buffer', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '' } });
    const tag = `${file.replace(root + '/', '').replace(/[/.]/g, '_')}.${name}`;
    writeFileSync(join(out, tag + '.out'), r.stdout);
    writeFileSync(join(out, tag + '.err'), Buffer.concat([r.stderr, Buffer.from(`\nexit ${r.status}\n`)]));
    runs++;
  }
}
for (const f of small) run(f, smallSets);
for (const f of large) run(f, largeSets);
console.log(`${runs} runs written to ${out} (${small.length} small captures, ${large.length} large)`);

// Rewrites every fixture's golden text and JSON output from the built CLI (npm run golden:update).
// Review the diff before committing: a golden file is a claim about what is right.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';

const env = { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' };
for (const file of readdirSync('fixtures').filter((f) => /\.pcap(ng)?$/.test(f)).sort()) {
  const stem = file.replace(/\.pcap(ng)?$/, '');
  const run = (args) => execFileSync(process.execPath, ['dist/cli.js', 'analyze', `fixtures/${file}`, ...args], { env }).toString('utf8');
  writeFileSync(`fixtures/${stem}.txt`, run(['--color', 'never']));
  writeFileSync(`fixtures/${stem}.json`, run(['--format', 'json']));
  console.log(`fixtures/${stem}.txt, .json`);
}

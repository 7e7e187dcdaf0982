#!/bin/bash
# What the causes' tracking costs (docs/performance.md, "Causes: what the new tracking costs"):
# this checkout's committed code, built, against the same code with the tracking switched off
# (tracking-off.patch: the per-packet facts the causes read and the cause rules), each run of
# `analyze CAPTURE --format ndjson --no-packets` alternated, ROUNDS of each; best and median of
# wall time, CPU (user + system) and peak memory, and the ratios of the bests.
# Usage: scripts/bench/tracking-cost.sh [CAPTURE] [ROUNDS]   (after npm run build; needs GNU time)
set -euo pipefail
capture=${1:-/tmp/teardown-bench.pcap}
rounds=${2:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
off=$(mktemp -d /tmp/teardown-tracking-off.XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$off" >/dev/null 2>&1 || rm -rf "$off"; }
trap cleanup EXIT
git -C "$root" worktree add --detach "$off" HEAD >/dev/null 2>&1
git -C "$off" apply "$root/scripts/bench/tracking-off.patch"
ln -s "$root/node_modules" "$off/node_modules"
(cd "$off" && npx tsc -p tsconfig.json)
results=$(mktemp)
for ((r = 1; r <= rounds; r++)); do
  for build in on off; do
    dir=$root; [ "$build" = off ] && dir=$off
    /usr/bin/time -f "$build %e %U %S %M" -a -o "$results" node "$dir/dist/cli.js" analyze "$capture" --format ndjson --no-packets >/dev/null
  done
done
node - "$results" <<'JS'
const lines = require('node:fs').readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' '));
const of = (b, f) => lines.filter((l) => l[0] === b).map(f).sort((x, y) => x - y);
const stat = (b, f) => { const v = of(b, f); return { best: v[0], median: v[Math.floor((v.length - 1) / 2)] }; };
const cols = { wall: (l) => +l[1], cpu: (l) => +l[2] + +l[3], rss: (l) => +l[4] / 1024 };
for (const [name, f] of Object.entries(cols)) {
  const on = stat('on', f); const off = stat('off', f);
  const unit = name === 'rss' ? 'MiB' : 's';
  console.log(`${name.padEnd(4)} tracking on ${on.best.toFixed(2)} ${unit} (median ${on.median.toFixed(2)}), off ${off.best.toFixed(2)} ${unit} (median ${off.median.toFixed(2)}): ${((on.best / off.best - 1) * 100).toFixed(1)} % (medians ${((on.median / off.median - 1) * 100).toFixed(1)} %)`);
}
JS
rm -f "$results"

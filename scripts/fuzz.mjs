#!/usr/bin/env node
// @ts-check
/**
 * npm run fuzz -- [--count N] [--seed S] [--out DIR] [--time-limit-ms T] [--workers W] [--no-memory-check] [--no-text]
 * npm run fuzz -- --replay FILE...
 *
 * Mutates every fixture (scripts/fuzz/mutate.mjs) and runs reading, decoding, analysis and the JSON
 * and text rendering (--no-text: JSON only, about 7 times faster) of each input in-process against the built library (dist/). Inputs are a pure function
 * of (seed, index), shared out to worker threads; a watchdog in this thread catches an input that
 * hangs. Every failure is written to the out folder as a reproducer with a note; the first input of
 * each distinct failure belongs in test/fuzz/regressions/ once fixed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generateInput, chunksOf } from './fuzz/mutate.mjs';
import { loadCorpus } from './fuzz/seeds.mjs';
import { runInput, signature, textRenderers } from './fuzz/run.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Reproducers written per distinct failure; the rest are only counted. */
const KEEP_PER_SIGNATURE = 3;

function parseArgs(argv) {
  const o = { count: 100_000, seed: 1, out: 'fuzz-failures', timeLimitMs: 2000, workers: Math.min(2, availableParallelism()),
    checkMemory: true, text: true, replay: /** @type {string[]} */ ([]) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--count') o.count = Number(next());
    else if (a === '--seed') o.seed = Number(next()) >>> 0;
    else if (a === '--out') o.out = next();
    else if (a === '--time-limit-ms') o.timeLimitMs = Number(next());
    else if (a === '--workers') o.workers = Math.max(1, Number(next()));
    else if (a === '--no-memory-check') o.checkMemory = false;
    else if (a === '--no-text') o.text = false;
    else if (a === '--replay') o.replay.push(...argv.slice(i + 1)), (i = argv.length);
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isFinite(o.count) || o.count < 0) throw new Error('--count must be a number');
  return o;
}

const o = parseArgs(process.argv.slice(2));
const lib = { ...(await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)),
  ...(o.text ? await textRenderers(ROOT) : {}) };

if (o.replay.length > 0) {
  let failed = 0;
  for (const file of o.replay) {
    const bytes = new Uint8Array(readFileSync(file));
    const plans = [1, 7, 61, bytes.length].map((size) => chunksOf(bytes.length, size));
    for (const chunks of plans) {
      const r = runInput(lib, { bytes, chunks }, { timeLimitMs: o.timeLimitMs, checkMemory: o.checkMemory });
      const what = r.failure ? `FAIL ${r.failure.kind}: ${r.failure.message}\n${r.failure.stack ?? ''}` : r.unreadable ? 'ok (unreadable)' : `ok (${r.records} records)`;
      console.log(`${file} in ${chunks.length} chunk(s), ${r.ms.toFixed(1)} ms: ${what}`);
      if (r.failure) failed++;
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

const corpus = loadCorpus(ROOT);
const out = resolve(o.out);
/** @type {Map<string, { count: number, first: number }>} */
const bySignature = new Map();
let failures = 0;

/** @param {number} index @param {import('./fuzz/run.mjs').Failure} failure */
function record(index, failure) {
  failures++;
  const sig = signature(failure);
  const seen = bySignature.get(sig) ?? { count: 0, first: index };
  seen.count++;
  bySignature.set(sig, seen);
  if (seen.count > KEEP_PER_SIGNATURE) return;
  const input = generateInput(corpus, o.seed, index);
  mkdirSync(out, { recursive: true });
  const name = `seed${o.seed}-${index}-${failure.kind}`;
  writeFileSync(join(out, `${name}.bin`), input.bytes);
  writeFileSync(join(out, `${name}.txt`), [
    `${failure.kind}: ${failure.message}`,
    `signature: ${sig}`,
    `seed ${o.seed}, input ${index}: ${input.seed} with ${input.ops.join('; ') || 'no mutation'}`,
    `${input.bytes.length} bytes fed in ${input.chunks.length} chunk(s): ${input.chunks.slice(0, 40).join(' ')}${input.chunks.length > 40 ? ' ...' : ''}`,
    `replay: npm run fuzz -- --replay ${join(o.out, `${name}.bin`)}`,
    '',
    failure.stack ?? '',
  ].join('\n'));
}

const started = Date.now();
const workers = Math.max(1, Math.min(o.workers, o.count || 1));
let done = 0;
let unreadable = 0;
/** @type {Array<{ current: Int32Array, seen: number, since: number, worker: Worker | undefined }>} */
const lanes = [];

/** Starts lane `lane` at input `from` (its share: from, from + workers, ...). @param {number} lane @param {number} from */
function start(lane, from) {
  const current = new Int32Array(new SharedArrayBuffer(8));
  current[0] = from;
  const worker = new Worker(join(ROOT, 'scripts', 'fuzz', 'worker.mjs'), {
    workerData: { root: ROOT, seed: o.seed, from, to: o.count, step: workers, timeLimitMs: o.timeLimitMs, checkMemory: o.checkMemory, text: o.text, current },
  });
  const state = { current, seen: 0, since: Date.now(), worker: /** @type {Worker | undefined} */ (worker) };
  lanes[lane] = state;
  worker.on('message', (m) => {
    if (m.type === 'failure') record(m.index, m.failure);
    if (m.type === 'done') {
      done += m.stats.inputs;
      unreadable += m.stats.unreadable;
      state.worker = undefined;
    }
  });
  worker.on('error', (err) => {
    // An exception that escaped the harness itself (or the worker ran out of heap): note it, go on.
    const index = Atomics.load(current, 0);
    done += Atomics.load(current, 1) + 1;
    record(index, { kind: 'exception', message: `worker died: ${err.message}`, ...(err.stack ? { stack: err.stack } : {}) });
    state.worker = undefined;
    if (index + workers < o.count) start(lane, index + workers);
  });
}

for (let w = 0; w < workers; w++) start(w, w);

await new Promise((resolveAll) => {
  let lastReport = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    let running = 0;
    let progress = done;
    lanes.forEach((lane, i) => {
      if (lane.worker === undefined) return;
      running++;
      const n = Atomics.load(lane.current, 1);
      progress += n;
      if (n !== lane.seen) {
        lane.seen = n;
        lane.since = now;
      } else if (now - lane.since > o.timeLimitMs + 1000) {
        // The watchdog: this input has run past the limit without returning. Kill, record, go on.
        const index = Atomics.load(lane.current, 0);
        const worker = lane.worker;
        lane.worker = undefined;
        done += n + 1;
        void worker.terminate();
        record(index, { kind: 'slow', message: `did not finish within ${o.timeLimitMs + 1000} ms (watchdog)` });
        if (index + workers < o.count) start(i, index + workers);
      }
    });
    if (now - lastReport >= 10_000) {
      lastReport = now;
      const s = (now - started) / 1000;
      console.error(`fuzz: ${progress} inputs, ${(progress / s).toFixed(0)}/s, ${failures} failures`);
    }
    if (running === 0) {
      clearInterval(timer);
      resolveAll(undefined);
    }
  }, 250);
});

const seconds = (Date.now() - started) / 1000;
console.log(`fuzz: seed ${o.seed}, ${done} inputs in ${seconds.toFixed(1)} s (${(done / seconds).toFixed(0)} inputs/s, ${workers} worker${workers === 1 ? '' : 's'}), `
  + `corpus ${corpus.length} captures, ${unreadable} unreadable (rejected cleanly), ${failures} failure${failures === 1 ? '' : 's'}`);
for (const [sig, { count, first }] of bySignature) console.log(`  ${count} × ${sig} (first: input ${first})`);
if (failures > 0) console.log(`reproducers in ${basename(out) === o.out ? o.out : out}/`);
process.exit(failures > 0 ? 1 : 0);

// @ts-check
/** A fuzz worker thread: runs its share of a seeded run and posts every failure to the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { loadCorpus } from './seeds.mjs';
import { fuzzRange, textRenderers } from './run.mjs';

const d = /** @type {{ root: string, seed: number, from: number, to: number, step: number, timeLimitMs: number, checkMemory: boolean, text: boolean, current: Int32Array }} */ (workerData);
const lib = { ...(await import(pathToFileURL(join(d.root, 'dist', 'index.js')).href)),
  ...(d.text ? await textRenderers(d.root) : {}) };
const corpus = loadCorpus(d.root);
const stats = fuzzRange({
  lib, corpus, seed: d.seed, from: d.from, to: d.to, step: d.step, current: d.current,
  opts: { timeLimitMs: d.timeLimitMs, checkMemory: d.checkMemory },
  onFailure: (input, failure) => parentPort?.postMessage({ type: 'failure', index: input.index, failure }),
});
parentPort?.postMessage({ type: 'done', stats });

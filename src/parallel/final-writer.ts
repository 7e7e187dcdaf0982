/**
 * The helper thread of Analyzer.finishSplit: classifies copied connections (flow/store.ts
 * copySlots) and writes their ndjson lines, exactly as the main thread writes its own
 * (render/json-columns.ts), then hands the bytes back with the count of each class.
 */
import { parentPort } from 'node:worker_threads';
import { classify, newVerdict } from '../analysis/teardown.js';
import type { TeardownClass } from '../analysis/teardown.js';
import { ConnectionStore, freeNow } from '../flow/store.js';
import { ByteLines } from '../render/byte-lines.js';
import { writeFlowJson } from '../render/json-columns.js';
import type { SplitReply, SplitRequest } from './final-split.js';

const port = parentPort;
if (port === null) throw new Error('parallel/final-writer.ts runs as a worker thread');
const verdict = newVerdict();

port.on('message', (m: SplitRequest) => {
  const store = ConnectionStore.fromCopy(m.copy);
  const out = new ByteLines();
  const byClass: Partial<Record<TeardownClass, number>> = {};
  const c = { store, slot: 0 };
  for (let slot = 0; slot < m.copy.count; slot++) {
    c.slot = slot;
    const v = classify(c, m.captureEnd, verdict);
    byClass[v.class] = (byClass[v.class] ?? 0) + 1;
    writeFlowJson(out, c, v, m.lang, m.first);
  }
  // The copy is this thread's alone now: its memory goes at once, not when this heap next fills.
  for (const column of Object.values(m.copy.columns)) freeNow(column.buffer as ArrayBuffer);
  const bytes = out.take();
  const reply: SplitReply = { run: m.run, bytes, byClass };
  port.postMessage(reply, [bytes.buffer as ArrayBuffer]);
});

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { NumberList } from '../../src/cli/number-list.js';
import { handBackChannel, ResultBuffers } from '../../src/cli/result-buffers.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { ROOT } from '../golden/run-cli.js';

describe('NumberList', () => {
  it('keeps every number through its doublings, in order; clear starts it again', () => {
    const list = new NumberList();
    for (let i = 0; i < 5000; i++) list.push(i * 1.5 + 2 ** 40);
    expect(list.length).toBe(5000);
    expect(list.at(0)).toBe(2 ** 40);
    expect(list.at(4999)).toBe(4999 * 1.5 + 2 ** 40);
    expect(Array.from(list.view())).toEqual(Array.from({ length: 5000 }, (_, i) => i * 1.5 + 2 ** 40));
    list.clear();
    list.push(7);
    expect(Array.from(list.view())).toEqual([7]);
  });
});

describe('ByteLines.range', () => {
  it('copies a run of a buffer, short (byte by byte) or long (by set), as bytes() of its subarray does', () => {
    const source = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);
    const runs: Array<[number, number]> = [[0, 0], [5, 11], [100, 148], [100, 149], [7, 4000], [4000, 4096]];
    const ranged = new ByteLines();
    const sliced = new ByteLines();
    for (const [start, end] of runs) {
      ranged.range(source, start, end);
      sliced.bytes(source.subarray(start, end));
    }
    expect(ranged.length).toBe(runs.reduce((n, [s, e]) => n + e - s, 0));
    expect(Buffer.from(ranged.written())).toEqual(Buffer.from(sliced.written()));
  });
});

describe('ResultBuffers', () => {
  it('rounds new buffers up so that they fit again, and reuses the smallest spare that fits', () => {
    const channel = handBackChannel();
    const buffers = new ResultBuffers(channel.worker);
    expect(buffers.take(10).byteLength).toBe(1024);
    expect(buffers.take(5000).byteLength).toBe(8192);
    expect(buffers.take(70_000).byteLength).toBe(262_144);
    expect(buffers.take(1_048_600).byteLength).toBe(1_310_720);
    // Handed back (in this thread: the port still carries them), then taken in by ready().
    buffers.sent();
    channel.give([new ArrayBuffer(262_144), new ArrayBuffer(1_310_720), new ArrayBuffer(2048)]);
    buffers.ready();
    expect(buffers.take(100_000).byteLength).toBe(262_144);
    expect(buffers.take(1500).byteLength).toBe(2048);
    expect(buffers.take(1_000_000).byteLength).toBe(1_310_720);
    channel.worker.port.close();
  });

  it('a worker with four results out waits until one is handed back, and reuses what comes back', async () => {
    // A real worker thread posting 12 results in one synchronous loop, as a job does at the end of a
    // capture; this thread counts those out at once and hands each back a little later.
    const channel = handBackChannel();
    const url = pathToFileURL(join(ROOT, 'dist', 'cli', 'result-buffers.js')).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(${JSON.stringify(url)}).then(({ ResultBuffers }) => {
        const buffers = new ResultBuffers(workerData.handBack);
        const seen = [];
        for (let i = 0; i < 12; i++) {
          buffers.ready();
          const b = buffers.take(300_000);
          new Uint8Array(b)[0] = i;
          seen.push(b.byteLength);
          parentPort.postMessage({ i, buffer: b }, [b]);
          buffers.sent();
        }
        parentPort.postMessage({ done: seen });
      });`;
    const worker = new Worker(code, { eval: true, workerData: { handBack: channel.worker }, transferList: [channel.worker.port] });
    let out = 0;
    let most = 0;
    const order: number[] = [];
    const sizes = await new Promise<number[]>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { i: number; buffer: ArrayBuffer } | { done: number[] }) => {
        if ('done' in m) return resolve(m.done);
        out++;
        most = Math.max(most, out);
        order.push(new Uint8Array(m.buffer)[0] as number);
        setTimeout(() => {
          out--;
          channel.give([m.buffer]);
        }, 20);
      });
    });
    await worker.terminate();
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(most).toBe(4);
    expect(sizes.every((size) => size === 524_288)).toBe(true);
  });
});

import type { FuzzInput, Seed } from './mutate.mjs';
import type * as Library from '../../src/index.js';
import type { TextOracle } from './text-oracle.mjs';
import type { summaryText } from '../../src/render/summary-table.js';
import type { ByteLines } from '../../src/render/byte-lines.js';
import type { writeFlowJson } from '../../src/render/json-columns.js';
import type { writeFlowBlock } from '../../src/render/text-columns.js';
/** The library as dist/index.js or src/index.ts exports it, and optionally the text renderer and the column writers. */
export type Lib = typeof Library & {
  flowText?: TextOracle['flowText']; summaryText?: typeof summaryText;
  ByteLines?: typeof ByteLines; writeFlowJson?: typeof writeFlowJson; writeFlowBlock?: typeof writeFlowBlock;
};
export interface Failure { kind: 'exception' | 'slow' | 'memory' | 'carry' | 'invariant'; message: string; stack?: string }
export interface RunOptions { timeLimitMs: number; checkMemory: boolean }
export interface RunResult { failure: Failure | undefined; ms: number; unreadable: boolean; records: number }
export declare function textRenderers(root: string): Promise<Partial<Lib>>;
export declare const MEMORY_SLACK: number;
export declare function runInput(lib: Lib, input: { bytes: Uint8Array; chunks: readonly number[] }, opts: RunOptions): RunResult;
export declare function signature(f: Failure): string;
export declare function fuzzRange(o: {
  lib: Lib; corpus: readonly Seed[]; seed: number; from: number; to: number; step: number; opts: RunOptions;
  onFailure: (input: FuzzInput, failure: Failure) => void; current?: Int32Array;
}): { inputs: number; unreadable: number; failures: number };

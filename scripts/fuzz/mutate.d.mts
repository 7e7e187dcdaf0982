import type { Rng } from './rng.mjs';
import type { Field, Structure } from './structure.mjs';
export { Rng } from './rng.mjs';
export interface Seed { name: string; bytes: Uint8Array; structure: Structure }
export interface FuzzInput { index: number; seed: string; ops: string[]; bytes: Uint8Array; chunks: number[] }
export declare const LENGTH_VALUES: number[];
export declare function seedOf(name: string, bytes: Uint8Array): Seed;
export declare function generateInput(corpus: readonly Seed[], seed: number, index: number): FuzzInput;
export declare function chunkPlan(rng: Rng, length: number): number[];
export declare function chunksOf(length: number, size: number): number[];
export declare function readField(b: Uint8Array, f: Field): number;
export declare function writeField(b: Uint8Array, f: Field, value: number): void;
export declare function concat(...parts: Uint8Array[]): Uint8Array;

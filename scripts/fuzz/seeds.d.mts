import type { Seed } from './mutate.mjs';
export declare function loadCorpus(root: string): Seed[];
export declare function regressionFiles(root: string): Array<{ name: string; bytes: Uint8Array }>;

export declare class Rng {
  constructor(seed: number, stream?: number);
  u32(): number;
  int(n: number): number;
  range(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}
export declare function inputRng(seed: number, index: number): Rng;

/**
 * The words of `teardown check`'s text report in each language (`--lang`; docs/contract.md,
 * "Expectation files"). Field names, values and file names are printed as they are.
 */
import type { Lang } from './notes.js';

export interface CheckWords {
  error: (capture: string, message: string) => string;
  wrote: (capture: string, expectation: string, connections: number) => string;
  ok: (capture: string, connections: number) => string;
  mismatch: (capture: string) => string;
  /** Where a mismatch is: the number of connections, or a connection's field. */
  count: string;
  field: (flow: number, endpoints: string, field: string) => string;
  expectedGot: (where: string, expected: string, got: string) => string;
  saw: (explanation: string) => string;
  total: (captures: number, connections: number, mismatches: number, errors: number) => string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const EN: CheckWords = {
  error: (capture, message) => `${capture}: ERROR: ${message}`,
  wrote: (capture, expectation, n) => `${capture}: wrote ${expectation} (${plural(n, 'connection')})`,
  ok: (capture, n) => `${capture}: ok (${plural(n, 'connection')})`,
  mismatch: (capture) => `${capture}: MISMATCH`,
  count: 'number of connections',
  field: (flow, endpoints, field) => `connection ${flow} ${endpoints}: ${field}`,
  expectedGot: (where, expected, got) => `  ${where}: expected ${expected}, got ${got}`,
  saw: (explanation) => `    what we saw: ${explanation}`,
  total: (captures, connections, mismatches, errors) =>
    `check: ${plural(captures, 'capture')}, ${plural(connections, 'connection')}, ${plural(mismatches, 'mismatch', 'mismatches')}${errors ? `, ${plural(errors, 'error')}` : ''}`,
};

const ZH: CheckWords = {
  error: (capture, message) => `${capture}：错误：${message}`,
  wrote: (capture, expectation, n) => `${capture}：已写入 ${expectation}（${n} 个连接）`,
  ok: (capture, n) => `${capture}：通过（${n} 个连接）`,
  mismatch: (capture) => `${capture}：不一致`,
  count: '连接数',
  field: (flow, endpoints, field) => `连接 ${flow} ${endpoints}：${field}`,
  expectedGot: (where, expected, got) => `  ${where}：期望 ${expected}，实际 ${got}`,
  saw: (explanation) => `    实际所见：${explanation}`,
  total: (captures, connections, mismatches, errors) =>
    `check：${captures} 个抓包文件，${connections} 个连接，${mismatches} 处不一致${errors ? `，${errors} 个错误` : ''}`,
};

export const CHECK_WORDS: Record<Lang, CheckWords> = { en: EN, zh: ZH };

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from './exit.js';
import { message } from './messages.js';
import type { Lang } from '../render/notes.js';

/**
 * The small captures shipped in the package, so the first command a user copies from `--help` or
 * the README works wherever teardown is installed: `teardown analyze --example NAME`. They are
 * fixtures (fixtures/README.md says how each was made); the build copies each `NAME.pcap` and its
 * `NAME.expect.json` into dist/examples/ (scripts/copy-examples.mjs), so git holds the bytes once.
 */
export const EXAMPLE_CAPTURES = [
  { name: 'course-close-then-data', what: { en: 'the course example: close() before reading, the server\'s "Bye" meets a RST', zh: '课程示例：先 close() 再读取，服务器的 "Bye" 遇到 RST' } },
  { name: 'course-half-close', what: { en: 'the same with shutdown(SHUT_WR): the client still reads "Bye"', zh: '同一示例改用 shutdown(SHUT_WR)：客户端仍能读到 "Bye"' } },
  { name: 'cause-idle-timeout', what: { en: 'a firewall forgot an idle connection and reset it (causes)', zh: '防火墙忘掉了一个空闲连接并将其重置（原因）' } },
  { name: 'lab-mixed', what: { en: 'six connections closing six ways in one capture', zh: '一个抓包中的六个连接，以六种方式关闭' } },
  { name: 'refused', what: { en: 'a SYN answered by RST: nothing listening', zh: 'SYN 被 RST 回应：没有程序在监听' } },
] as const satisfies ReadonlyArray<{ name: string; what: Record<Lang, string> }>;

/** `--example list`'s heading, in each language. */
const LIST_HEADING: Record<Lang, (dir: string) => string> = {
  en: (dir) => `Example captures (teardown analyze --example NAME), each with its NAME.expect.json, in ${dir}:`,
  zh: (dir) => `示例抓包（teardown analyze --example NAME），各附 NAME.expect.json，位于 ${dir}：`,
};

/** `--example`'s choices: the names, and `list`. */
export const EXAMPLE_CHOICES: readonly string[] = [...EXAMPLE_CAPTURES.map((e) => e.name), 'list'];

/** dist/examples/ beside this module's build (dist/cli/): in the repository and in an installed package alike. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../examples', import.meta.url));

/**
 * The capture `analyze`, `report` or `annotate` reads: the positional path (yargs hands a lone `-`, standard
 * input, over as an empty string) or the example named by `--example`; undefined for
 * `--example list`. Neither, or both, is a usage error; neither keeps the message yargs gave when
 * the path was required.
 */
export function captureToRead(capture: string | undefined, example: string | undefined): string | undefined {
  if (capture !== undefined && example !== undefined) throw new CliError(message('captureAndExample'), EXIT.usage, true);
  if (example === 'list') return undefined;
  if (example !== undefined) return join(EXAMPLES_DIR, `${example}.pcap`);
  if (capture === undefined) throw new CliError(message('noCapture'), EXIT.usage, true);
  return capture === '' ? '-' : capture;
}

/** What `--example list` prints: the directory, then each name with a line on what it shows. */
export function exampleList(lang: Lang = 'en'): string {
  const width = Math.max(...EXAMPLE_CAPTURES.map((e) => e.name.length));
  const lines = EXAMPLE_CAPTURES.map((e) => `  ${e.name.padEnd(width)}  ${e.what[lang]}\n`);
  return `${LIST_HEADING[lang](EXAMPLES_DIR)}\n${lines.join('')}`;
}

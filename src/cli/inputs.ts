import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT } from './exit.js';
import { message } from './messages.js';

/**
 * What a reading command reads (docs/contract.md, "Sources", "Capture filter", "Several
 * captures"): one or more captures, then, as tcpdump takes it, a capture filter.
 */
export interface CaptureInput {
  /** Capture paths, globs expanded; `-` (alone) is standard input. */
  paths: string[];
  /** Filter words, joined with spaces as tcpdump joins them; empty: none. */
  filter: string[];
  /** `-c N`: stop after N packets (after the filter, in the merged order). */
  count?: number;
}

/** A path as a CaptureInput; a CaptureInput as it is. */
export function asInput(input: string | CaptureInput): CaptureInput {
  return typeof input === 'string' ? { paths: [input], filter: [] } : input;
}

/** `-c N` as given, or a usage error (exit 2). */
export function checkCount(count: number | undefined): number | undefined {
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    throw new CliError(message('countNotWhole', { value: String(count) }), EXIT.usage);
  }
  return count;
}

const GLOB = /[*?[]/;

/** A glob's characters (`*`, `?`, `[...]`) as a regular expression over one name. */
function globPattern(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files a glob names, in name order: a pattern in its last part only (`captures/cap_*`), as the
 * shell would have expanded it had it not been quoted. None when nothing matches.
 */
export function expandGlob(word: string): string[] {
  const dir = dirname(word);
  if (GLOB.test(dir)) return [];
  const pattern = globPattern(basename(word));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => pattern.test(n) && !n.startsWith('.')).sort().map((n) => (dir === '.' && !word.startsWith('./') ? n : join(dir, n)))
    .filter((p) => isFile(p));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The words after `analyze` or `report`: the first is a capture (`-`, a path, or a glob); each next
 * word is one too while it names a file or a glob that matches files; the rest, and every word
 * after `--`, is the filter (`teardown analyze a.pcap b.pcap 'tcp port 80'`). Standard input is
 * read alone: after `-`, every word is the filter.
 */
export function captureInput(words: readonly string[], filterWords: readonly string[]): CaptureInput {
  const [first, ...rest] = words;
  if (first === undefined) throw new CliError(message('noCapture'), EXIT.usage, true);
  const paths: string[] = [];
  const add = (word: string, required: boolean): boolean => {
    if (GLOB.test(word) && !isFile(word)) {
      const found = expandGlob(word);
      // A glob that matches nothing stays the word it is, as the shell leaves it: the read says no such file.
      if (found.length > 0 || !required) {
        paths.push(...found);
        return found.length > 0;
      }
    }
    if (!required && !isFile(word)) return false;
    paths.push(word);
    return true;
  };
  if (first === '-' || first === '') return { paths: ['-'], filter: [...rest, ...filterWords] };
  add(first, true);
  let at = 0;
  while (at < rest.length && add(rest[at] as string, false)) at++;
  return { paths, filter: [...rest.slice(at), ...filterWords] };
}

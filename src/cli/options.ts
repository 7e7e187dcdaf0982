import type { Argv } from 'yargs';
import type { Lang } from '../render/notes.js';
import type { ColorMode } from '../render/color.js';
import type { TimeMode } from '../render/time.js';
import { EXAMPLE_CHOICES } from './example-captures.js';
import { TEARDOWN_CLASSES } from '../analysis/verdict-keys.js';
import type { TeardownClass } from '../analysis/verdict-keys.js';
import { checkHost } from './view.js';
import type { Picks } from './view.js';
import { defaultLang } from './lang.js';
import { helpIn } from './help-words.js';
import { message } from './messages.js';
import type { Wording } from './messages.js';

/** The options every command that prints an analysis takes (docs/contract.md, "Common options"). */
export interface ViewOptions extends Picks {
  format: 'text' | 'json' | 'ndjson' | 'zeek' | 'zeek-json' | 'csv';
  time: TimeMode;
  color: ColorMode;
  lang: Lang;
  /** False with --no-packets. */
  packets: boolean;
  /** --packets given: rows even for a large capture (analyze's default keeps them for small ones only). */
  packetsForced: boolean;
  /** --ladder (analyze, lab): a ladder diagram of each connection in place of its packet table. */
  ladder?: boolean;
  /** False with --no-tunnels: tunnels are not opened (docs/contract.md, "Tunnels"). */
  tunnels: boolean;
  /** --vxlan-port P (repeatable): UDP ports read as VXLAN besides 4789. */
  vxlanPorts: number[] | undefined;
  debug: boolean;
  /** --wide: every column on a terminal too (else the text is fitted to its width). */
  wide?: boolean;
  /** --shard K/N: only shard K's connections (index K - 1, from 0) of N (docs/contract.md, "Shards"). */
  shard?: Shard | undefined;
  /** analyze's --jobs N (docs/design.md, "Jobs"); undefined: the cores available, for a large capture file. */
  jobs?: number;
}

/** A shard of the connections: `index` from 0, of `of`. */
export interface Shard {
  index: number;
  of: number;
}

/** The most shards `--shard` takes: more than any cluster's task count, few enough to stay even. */
export const MAX_SHARDS = 65536;

/** `--shard K/N`: K from 1 to N, as the shards of a test runner are counted (vitest, Playwright). */
export function shardValue(value: unknown, lang: Lang = 'en'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(String(value).trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && n <= MAX_SHARDS && k >= 1 && k <= n)) {
    throw new Error(message('shardValue', { max: MAX_SHARDS, value: String(value) })(lang));
  }
  return { index: k - 1, of: n };
}

/** `--shard K/N`, for the commands that read a capture file (analyze, report). */
export const shardOption = (lang: Lang) => ({
  type: 'string', coerce: (v: unknown) => shardValue(v, lang), describe: helpIn(lang)('shard'),
}) as const;

/**
 * A check of the numbers a repeatable option was given, for yargs' `coerce`: yargs turns `abc` into
 * NaN and takes any number, so `--flow abc` or `--port 70000` picked nothing, silently. What this
 * throws, yargs hands to main's `fail` as a YError (its message only, worded here in `lang`): a
 * usage error (exit 2).
 */
function wholeNumbers(option: string, what: Wording, min: number, max: number) {
  return (values: unknown[], lang: Lang = 'en'): number[] => {
    if (values.length === 0) throw new Error(message('optionNeeds', { option, what })(lang));
    for (const v of values) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        const got = typeof v === 'number' && !Number.isNaN(v) ? String(v) : message('notANumber');
        throw new Error(message('optionTakes', { option, what, min, max, got })(lang));
      }
    }
    return values as number[];
  };
}

/** `--flow N`: connection numbers count from 1 (docs/contract.md, "Connection ids and times"). */
export const flowNumbers = wholeNumbers('flow', message('aConnectionNumber'), 1, Number.MAX_SAFE_INTEGER);
/** `--port P`: a TCP port. */
export const portNumbers = wholeNumbers('port', message('aPortNumber'), 0, 65535);
/** `--vxlan-port P`: a UDP port. */
const udpPortNumbers = wholeNumbers('vxlan-port', message('aUdpPortNumber'), 0, 65535);

/** `--jobs N`: threads, 1 to 256. */
export function jobsNumber(value: unknown, lang: Lang = 'en'): number {
  return wholeNumbers('jobs', message('aNumberOfThreads'), 1, 256)([value], lang)[0] as number;
}

/** `--class C` (repeatable, or a comma list): verdict classes, each one of the classes. */
export function classNames(values: unknown[], lang: Lang = 'en'): TeardownClass[] {
  const names = values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (names.length === 0) throw new Error(message('classNeeded')(lang));
  for (const n of names) {
    if (!(TEARDOWN_CLASSES as readonly string[]).includes(n)) throw new Error(message('classUnknown', { classes: TEARDOWN_CLASSES.join(', '), name: n })(lang));
  }
  return names as TeardownClass[];
}

/** `--host ADDR` (repeatable): an address or ADDRESS/PREFIX. */
export function hostValues(values: unknown[], lang: Lang = 'en'): string[] {
  const hosts = values.map(String);
  if (hosts.length === 0) throw new Error(message('hostNeeded')(lang));
  for (const h of hosts) {
    const wrong = checkHost(h);
    if (wrong !== undefined) throw new Error(wrong(lang));
  }
  return hosts;
}

/** The selection options (docs/contract.md, "Selection"), for every command that prints connections. */
export function withSelectionOptions<T>(y: Argv<T>, lang: Lang) {
  const h = helpIn(lang);
  return y
    .option('flow', { type: 'number', array: true, coerce: (v: unknown[]) => flowNumbers(v, lang), describe: h('flow') })
    .option('port', { type: 'number', array: true, coerce: (v: unknown[]) => portNumbers(v, lang), describe: h('port') })
    .option('host', { type: 'string', array: true, coerce: (v: unknown[]) => hostValues(v, lang), describe: h('host') })
    .option('class', { type: 'string', array: true, coerce: (v: unknown[]) => classNames(v, lang), describe: h('class') });
}

/** The options of every command that prints an analysis, described in `lang` (the language in force: lang.ts). */
export function withViewOptions<T>(y: Argv<T>, lang: Lang) {
  const h = helpIn(lang);
  return withSelectionOptions(y
    .option('format', { choices: ['text', 'json', 'ndjson', 'zeek', 'zeek-json', 'csv'] as const, default: 'text' as const, describe: h('format') }), lang)
    .option('time', { choices: ['relative', 'absolute', 'delta'] as const, default: 'relative' as const, describe: h('time') })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: h('color') })
    .option('lang', langOption(h('lang')))
    .option('wide', { type: 'boolean', default: false, describe: h('wide') })
    .option('packets', { type: 'boolean', describe: h('packets') })
    .option('tunnels', tunnelsOption(lang))
    .option('vxlan-port', vxlanPortOption(lang));
}

/** `--lang en|zh`; its default the environment's (lang.ts). */
export const langOption = (describe: string) => ({ choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe });

/** `--vxlan-port P`: VXLAN on another UDP port too (Linux's old default and Flannel's is 8472). */
export const vxlanPortOption = (lang: Lang) =>
  ({ type: 'number', array: true, coerce: (v: unknown[]) => udpPortNumbers(v, lang), describe: helpIn(lang)('vxlanPort') }) as const;

/** `--no-tunnels`: leave VXLAN, Geneve, GRE, IP-in-IP, Teredo and GTP-U packets closed. */
export const tunnelsOption = (lang: Lang) => ({ type: 'boolean', default: true, describe: helpIn(lang)('tunnels') }) as const;

/** `--ladder`, for the commands that print a finished analysis (analyze, lab; not live's stream). */
export function withLadderOption<T>(y: Argv<T>, lang: Lang) {
  return y.option('ladder', { type: 'boolean', default: false, describe: helpIn(lang)('ladder') });
}

/** `--example NAME` (analyze, report): a capture shipped with teardown in place of a path. */
export function withExampleOption<T>(y: Argv<T>, lang: Lang) {
  return y.option('example', { type: 'string', choices: EXAMPLE_CHOICES, describe: helpIn(lang)('example') });
}

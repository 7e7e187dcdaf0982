import type { Argv } from 'yargs';
import type { Lang } from '../render/notes.js';
import type { ColorMode } from '../render/color.js';
import type { TimeMode } from '../render/time.js';
import { EXAMPLE_CHOICES } from './example-captures.js';
import { TEARDOWN_CLASSES } from '../analysis/verdict-keys.js';
import type { TeardownClass } from '../analysis/verdict-keys.js';
import { checkHost } from './view.js';
import type { Picks } from './view.js';

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
  /** analyze's --jobs N (docs/design.md, "Jobs"); undefined: the cores available, for a large capture file. */
  jobs?: number;
}

/** `--lang` default: Chinese when LANG starts with zh, else English. */
export function defaultLang(env: NodeJS.ProcessEnv): Lang {
  return (env['LANG'] ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * A check of the numbers a repeatable option was given, for yargs' `coerce`: yargs turns `abc` into
 * NaN and takes any number, so `--flow abc` or `--port 70000` picked nothing, silently. What this
 * throws, yargs hands to main's `fail` as a YError: a usage error (exit 2).
 */
function wholeNumbers(option: string, what: string, min: number, max: number) {
  return (values: unknown[]): number[] => {
    if (values.length === 0) throw new Error(`--${option} needs ${what}`);
    for (const v of values) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        const got = typeof v === 'number' && !Number.isNaN(v) ? String(v) : 'not a number';
        throw new Error(`--${option} takes ${what}, a whole number from ${min} to ${max} (got ${got})`);
      }
    }
    return values as number[];
  };
}

/** `--flow N`: connection numbers count from 1 (docs/contract.md, "Connection ids and times"). */
export const flowNumbers = wholeNumbers('flow', 'a connection number', 1, Number.MAX_SAFE_INTEGER);
/** `--port P`: a TCP port. */
export const portNumbers = wholeNumbers('port', 'a port number', 0, 65535);
/** `--vxlan-port P`: a UDP port. */
const udpPortNumbers = wholeNumbers('vxlan-port', 'a UDP port number', 0, 65535);

/** `--jobs N`: threads, 1 to 256. */
export function jobsNumber(value: unknown): number {
  return wholeNumbers('jobs', 'a number of threads', 1, 256)([value])[0] as number;
}

/** `--class C` (repeatable, or a comma list): verdict classes, each one of the classes. */
export function classNames(values: unknown[]): TeardownClass[] {
  const names = values.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (names.length === 0) throw new Error('--class needs a class name');
  for (const n of names) {
    if (!(TEARDOWN_CLASSES as readonly string[]).includes(n)) throw new Error(`--class takes a class (${TEARDOWN_CLASSES.join(', ')}), not ${n}`);
  }
  return names as TeardownClass[];
}

/** `--host ADDR` (repeatable): an address or ADDRESS/PREFIX. */
export function hostValues(values: unknown[]): string[] {
  const hosts = values.map(String);
  if (hosts.length === 0) throw new Error('--host needs an address');
  for (const h of hosts) {
    const wrong = checkHost(h);
    if (wrong !== undefined) throw new Error(wrong);
  }
  return hosts;
}

/** The selection options (docs/contract.md, "Selection"), for every command that prints connections. */
export function withSelectionOptions<T>(y: Argv<T>) {
  return y
    .option('flow', { type: 'number', array: true, coerce: flowNumbers, describe: 'show only connection N (repeatable)' })
    .option('port', { type: 'number', array: true, coerce: portNumbers, describe: 'show only connections on port P (repeatable)' })
    .option('host', { type: 'string', array: true, coerce: hostValues, describe: 'show only connections with an endpoint at this address, or in ADDRESS/PREFIX (repeatable)' })
    .option('class', { type: 'string', array: true, coerce: classNames, describe: 'show only connections of this verdict class (repeatable, or a comma list)' });
}

export function withViewOptions<T>(y: Argv<T>) {
  return withSelectionOptions(y
    .option('format', { choices: ['text', 'json', 'ndjson', 'zeek', 'zeek-json', 'csv'] as const, default: 'text' as const, describe: "output form (zeek: Zeek's conn.log, zeek-json: its JSON lines, csv: a row a connection)" }))
    .option('time', { choices: ['relative', 'absolute', 'delta'] as const, default: 'relative' as const, describe: 'Time column: since the first record, UTC clock time, or since the previous row' })
    .option('color', { choices: ['auto', 'always', 'never'] as const, default: 'auto' as const, describe: 'colour rows (auto: on a terminal; FORCE_COLOR forces it, NO_COLOR and TERM=dumb turn it off)' })
    .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of notes and explanations (default: zh when LANG starts with zh)' })
    .option('wide', { type: 'boolean', default: false, describe: 'on a terminal, print every column in full (text is otherwise fitted to its width; files and pipes always get every column)' })
    .option('packets', { type: 'boolean', describe: 'print packet rows (default: for a capture under 10 MB, or the connections --flow picks; --no-packets: verdicts only)' })
    .option('tunnels', tunnelsOption)
    .option('vxlan-port', vxlanPortOption);
}

/** `--vxlan-port P`: VXLAN on another UDP port too (Linux's old default and Flannel's is 8472). */
export const vxlanPortOption = { type: 'number', array: true, coerce: udpPortNumbers, describe: 'also read UDP port P as VXLAN (repeatable; 4789 always is), e.g. 8472 for Linux\'s old default and Flannel' } as const;

/** `--no-tunnels`: leave VXLAN, Geneve, GRE, IP-in-IP, Teredo and GTP-U packets closed. */
export const tunnelsOption = { type: 'boolean', default: true, describe: 'open tunnels (VXLAN, Geneve, GRE, ERSPAN, IP-in-IP, 6in4, Teredo, GTP-U) and analyse the connections inside (--no-tunnels: leave them closed)' } as const;

/** `--ladder`, for the commands that print a finished analysis (analyze, lab; not live's stream). */
export function withLadderOption<T>(y: Argv<T>) {
  return y.option('ladder', { type: 'boolean', default: false, describe: 'draw each connection as a ladder diagram (client and server lifelines, states beside them) in place of its packet table' });
}

/** `--example NAME` (analyze, report): a capture shipped with teardown in place of a path. */
export function withExampleOption<T>(y: Argv<T>) {
  return y.option('example', { type: 'string', choices: EXAMPLE_CHOICES, describe: 'read a capture shipped with teardown, by name, in place of a path (list: what each shows and where they are)' });
}

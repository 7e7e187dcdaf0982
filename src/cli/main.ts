import { createRequire } from 'node:module';
import type YargsModule from 'yargs';
import type * as YargsHelpers from 'yargs/helpers';
import { SCENARIO_NAMES } from '../lab/names.js';
import { CliError, EXIT } from './exit.js';
import { EXAMPLE_CAPTURES, EXAMPLES_DIR, captureToRead, exampleList } from './example-captures.js';
import type { ExitCode } from './exit.js';
import { isWriteError, outputErrorLine } from './output.js';
import { terminalSafe } from './terminal-text.js';
import { jobsNumber, langOption, shardOption, tunnelsOption, vxlanPortOption, withExampleOption, withLadderOption, withSelectionOptions, withViewOptions } from './options.js';
import { langOf } from './lang.js';
import { helpIn } from './help-words.js';
import type { Help, HelpId } from './help-words.js';
import { asIs, message } from './messages.js';
import type { Lang } from '../render/notes.js';
import type { Shard, ViewOptions } from './options.js';
import { captureInput, checkCount } from './inputs.js';
import type { CaptureInput } from './inputs.js';
import { withOutputFile } from './output-file.js';
import type { Argv } from 'yargs';

/**
 * yargs 17 through its CommonJS build: about 20 ms to load where yargs 18 (ESM only) took about
 * 95 ms, most of it string-width 7 setting up an Intl.Segmenter for cliui; yargs 17's ESM build
 * wraps help text in the middle of words (cliui's stand-in for wrap-ansi). The help it prints is
 * byte for byte yargs 18's (docs/performance.md, "Start-up").
 */
const require = createRequire(import.meta.url);
const yargs = require('yargs') as typeof YargsModule;
const { hideBin } = require('yargs/helpers') as typeof YargsHelpers;
/** Given to yargs: from an ESM entry, its CommonJS build looks for package.json in the working directory. */
const { version: VERSION } = require('../../package.json') as { version: string };

/**
 * The examples end `--help`. Each runs as it stands wherever teardown is installed: the captures
 * are the ones shipped in the package (example-captures.ts), and `check` is shown on their
 * directory, which holds an expectation file for each. A row is a command and what it shows (its
 * words in help-words.ts), the words from column 54, or on the next line after a long command.
 */
const EXAMPLE_ROWS: ReadonlyArray<readonly [string, HelpId?, 'next line'?]> = [
  ['teardown analyze --example course-close-then-data', 'exAnalyze'],
  ['teardown analyze --example lab-mixed --flow 2', 'exFlow'],
  ['teardown analyze --example lab-mixed --format json', 'exJson'],
  ['teardown analyze --example lab-mixed --class abort', 'exClass'],
  ['teardown analyze --example lab-mixed -- port 12102', 'exFilter'],
  ["tcpdump -i lo -U -w - 'tcp port 12000' | teardown analyze -", 'exPipe'],
  ["tcpdump -i eth0 -G 3600 -w 'cap_%H.pcap' port 443", 'exHourly'],
  ["  teardown analyze 'cap_*' -o day.txt", 'exHourlyThen'],
  ['teardown live -i lo tcp port 12000', 'exLive'],
  ['teardown live -i eth0 -w out.pcap --duration 60 port 443'],
  ['teardown lab --list', 'exLabList'],
  ['teardown lab close-then-data', 'exLab'],
  ['teardown analyze --example refused --ladder', 'exLadder'],
  ['teardown report --example lab-mixed -o report.html', 'exReport'],
  // The directory is where the package is installed: of any length.
  [`teardown check ${EXAMPLES_DIR}`, 'exCheck', 'next line'],
  ['teardown annotate --example course-half-close -o annotated.pcapng', 'exAnnotate'],
  ['teardown analyze --example lab-mixed --shard 1/2 --format ndjson -o s1.ndjson', 'exShard'],
  ['teardown merge s1.ndjson s2.ndjson -o all.ndjson', 'exMerge'],
];

function examples(h: Help): string {
  const rows = EXAMPLE_ROWS.map(([command, words, nextLine]) => {
    if (words === undefined) return `  ${command}`;
    return command.length <= 50 && nextLine === undefined ? `  ${command.padEnd(52)}${h(words)}` : `  ${command}\n${' '.repeat(54)}${h(words)}`;
  });
  return `${h('examples')}\n${rows.join('\n')}\n\n${h('exampleCaptures')}\n  ${EXAMPLE_CAPTURES.map((e) => e.name).join(', ')}\n  ${h('in')} ${EXAMPLES_DIR}\n\n${h('exitStatus')}`;
}

/**
 * `live`'s default snap length: room for Ethernet, two VLAN tags, IPv6 with extension headers and
 * TCP with 40 bytes of options. Measured here, whole 64 KiB loopback packets made tcpdump drop most
 * of a bulk transfer even when piped to `cat`; headers only, nothing was dropped (docs/live-and-lab.md, "Snap length").
 */
const LIVE_SNAPLEN = 256;

/** `-o FILE` and `-c N`, for `analyze`. */
function withReadOptions<T>(y: Argv<T>, h: Help, lang: Lang) {
  return y
    .option('output', { alias: 'o', type: 'string', describe: h('outputReport') })
    .option('count', { alias: 'c', type: 'number', describe: h('count') })
    .option('shard', shardOption(lang))
    .option('jobs', { alias: 'j', type: 'number', coerce: (v: unknown) => jobsNumber(v, lang), describe: h('jobs') });
}

/**
 * The capture words of `analyze` and `report` (and `--example`, and filter words after `--`, which
 * yargs leaves in `_` after the command's name); undefined for `--example list`.
 */
function inputOf(a: { capture?: unknown; example?: string | undefined; count?: number | undefined; _: (string | number)[] }, argv: readonly string[]): CaptureInput | undefined {
  const words = ((a.capture as unknown[] | undefined) ?? []).map(String);
  // yargs drops a lone `-` from an array positional: standard input, then, comes first.
  if (readsStdin(argv)) words.unshift('-');
  const after = a._.slice(1).map(String);
  const count = checkCount(a.count);
  if (a.example !== undefined || words.length === 0) {
    const path = captureToRead(words[0], a.example);
    if (path === undefined) return undefined;
    return { paths: [path], filter: after, ...(count !== undefined ? { count } : {}) };
  }
  return { ...captureInput(words, after), ...(count !== undefined ? { count } : {}) };
}

/** Whether the command line names standard input (`-`, not the value of `-o`, not after `--`). */
function readsStdin(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return false;
    if (argv[i] === '-' && argv[i - 1] !== '-o' && argv[i - 1] !== '--output') return true;
  }
  return false;
}

function viewOptions(a: Record<string, unknown>): ViewOptions {
  return {
    format: a['format'] as ViewOptions['format'],
    flow: a['flow'] as number[] | undefined,
    port: a['port'] as number[] | undefined,
    host: a['host'] as string[] | undefined,
    class: a['class'] as ViewOptions['class'],
    time: a['time'] as ViewOptions['time'],
    color: a['color'] as ViewOptions['color'],
    lang: a['lang'] as ViewOptions['lang'],
    packets: a['packets'] !== false,
    packetsForced: a['packets'] === true,
    ladder: a['ladder'] === true,
    tunnels: a['tunnels'] !== false,
    vxlanPorts: a['vxlan-port'] as number[] | undefined,
    debug: a['debug'] === true,
    wide: a['wide'] === true,
    shard: a['shard'] as Shard | undefined,
    ...(typeof a['jobs'] === 'number' ? { jobs: a['jobs'] } : {}),
  };
}

/**
 * Runs the command line; returns the exit status. Only this module and cli.ts touch the process.
 * `stdout`: where the commands write (src/cli.ts: into a pipe, an FdOutput).
 *
 * Each command's module is imported when that command runs, not up front: loading them all (the
 * live capture, the lab's sockets, the HTML report, the text tables (then drawn by cli-table3) and
 * string-width) took longer than analysing a small capture (docs/performance.md, "Start-up").
 */
export async function main(argv: string[], stdout: NodeJS.WritableStream = process.stdout): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  let debug = argv.includes('--debug');
  // Known before yargs reads the options: its help, its usage errors and ours speak it (lang.ts).
  const lang: Lang = langOf(argv, process.env);
  const h = helpIn(lang);
  const parser = yargs(argv)
    .scriptName('teardown')
    .version(VERSION)
    .usage(`$0 <command> [options]\n\n${h('tagline')}`)
    .option('debug', { type: 'boolean', default: false, describe: h('debug') })
    .command(
      'analyze [capture..]',
      h('analyze'),
      (y) => withReadOptions(withLadderOption(withViewOptions(withExampleOption(y.positional('capture', { type: 'string', array: true, describe: h('captures') }), lang), lang), lang), h, lang),
      async (a) => {
        const input = inputOf(a, argv);
        if (input === undefined) {
          stdout.write(exampleList(a.lang));
          return;
        }
        const { runAnalyze } = await import('./commands/analyze.js');
        code = await withOutputFile(a.output, true, stdout, (out) => runAnalyze(input, viewOptions(a as Record<string, unknown>), out, process.stderr));
      },
    )
    .command(
      'live [filter..]',
      h('live'),
      (y) => withViewOptions(y
        .positional('filter', { type: 'string', array: true, describe: h('filter') })
        .option('interface', { alias: 'i', type: 'string', demandOption: true, describe: h('interface') })
        .option('write', { alias: 'w', type: 'string', describe: h('writeLive') })
        .option('duration', { type: 'number', describe: h('duration') })
        .option('count', { alias: 'c', type: 'number', describe: h('count') })
        .option('output', { alias: 'o', type: 'string', describe: h('outputLive') })
        .option('stuck-after', { type: 'number', default: 5, describe: h('stuckAfter') })
        .option('snaplen', { type: 'number', default: LIVE_SNAPLEN, describe: h('snaplen') }), lang),
      async (a) => {
        const { runLive } = await import('./commands/live.js');
        code = await withOutputFile(a.output, false, stdout, (out) => runLive({
          iface: String(a.interface),
          // Words after `--` (`live -i lo -- tcp port 80`) reach yargs' `_`, after the command's name: they are filter words too.
          filter: [...(a.filter ?? []), ...a._.slice(1)].map(String),
          write: a.write,
          duration: a.duration,
          count: a.count,
          stuckAfter: a['stuck-after'],
          snaplen: a.snaplen,
        }, viewOptions(a as Record<string, unknown>), out, process.stderr));
      },
    )
    .command(
      'lab [scenario]',
      h('lab'),
      (y) => withLadderOption(withViewOptions(y
        .positional('scenario', { type: 'string', choices: SCENARIO_NAMES, describe: h('scenario') })
        .option('list', { type: 'boolean', default: false, describe: h('list') })
        .option('write', { alias: 'w', type: 'string', describe: h('writeLab') })
        .option('duration', { type: 'number', describe: h('durationLab') })
        .option('count', { type: 'number', describe: h('countLab') }), lang), lang),
      async (a) => {
        const { runLab } = await import('./commands/lab.js');
        code = await runLab({ scenario: a.scenario, list: a.list, write: a.write, duration: a.duration, count: a.count },
          viewOptions(a as Record<string, unknown>), stdout, process.stderr);
      },
    )
    .command(
      'report [capture..]',
      h('report'),
      (y) => withSelectionOptions(withExampleOption(y
        .positional('capture', { type: 'string', array: true, describe: h('captures') }), lang), lang)
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: h('outputHtml') })
        .option('lang', langOption(h('langNotes')))
        .option('packets', { type: 'boolean', default: true, describe: h('packetsReport') })
        .option('tunnels', tunnelsOption(lang))
        .option('vxlan-port', vxlanPortOption(lang))
        .option('shard', shardOption(lang)),
      async (a) => {
        const input = inputOf(a, argv);
        if (input === undefined) {
          stdout.write(exampleList(a.lang));
          return;
        }
        const { runReport } = await import('./commands/report.js');
        code = await runReport(input, {
          output: String(a.output), flow: a.flow, port: a.port, host: a.host, class: a.class, lang: a.lang, packets: a.packets, tunnels: a.tunnels, vxlanPorts: a['vxlan-port'], shard: a.shard,
        }, stdout, process.stderr);
      },
    )
    .command(
      'annotate [capture]',
      h('annotate'),
      (y) => withExampleOption(y
        .positional('capture', { type: 'string', describe: h('annotateCapture') }), lang)
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: h('outputPcapng') })
        .option('lang', langOption(h('langNotes'))),
      async (a) => {
        const capture = captureToRead(a.capture, a.example);
        if (capture === undefined) {
          process.stdout.write(exampleList(a.lang));
          return;
        }
        const { runAnnotate } = await import('./commands/annotate.js');
        code = await runAnnotate(capture === '' ? '-' : capture, {
          output: String(a.output), lang: a.lang, application: `teardown ${VERSION}`,
        }, process.stdout, process.stderr);
      },
    )
    .command(
      'merge <files..>',
      h('merge'),
      (y) => y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: h('mergeFiles') })
        .option('output', { alias: 'o', type: 'string', describe: h('outputMerged') }),
      async (a) => {
        const { runMerge } = await import('./commands/merge.js');
        code = await withOutputFile(a.output, true, stdout, async (out) => runMerge((a.files as string[]).map(String), out));
      },
    )
    .command(
      'check <paths..>',
      h('check'),
      (y) => y
        .positional('paths', { type: 'string', array: true, demandOption: true, describe: h('paths') })
        .option('update', { type: 'boolean', default: false, describe: h('update') })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: h('formatCheck') })
        .option('lang', langOption(h('langExplanations')))
        .option('output', { alias: 'o', type: 'string', describe: h('outputResults') }),
      async (a) => {
        const { runCheck } = await import('./commands/check.js');
        code = await withOutputFile(a.output, true, stdout, (out) => runCheck((a.paths as string[]).map(String), { update: a.update, format: a.format, lang: a.lang }, out));
      },
    )
    // yargs' own: prints a bash (or zsh) script that completes commands, options and choices by
    // asking `teardown --get-yargs-completions` (docs/contract.md, "Commands").
    .completion('completion', h('completion'))
    .demandCommand(1, message('noCommand')(lang))
    .strict()
    .epilog(examples(h))
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own errors (YError: a `coerce` that refused a value, flowNumbers) are usage errors,
      // already in the language in force: yargs' from its locale, ours worded by the coerce.
      if (err && err.name !== 'YError') throw err;
      throw new CliError(asIs(msg), EXIT.usage, true);
    })
    .help();
  // yargs words its own parts (Options:, [boolean], Show help, Unknown argument) from its locale,
  // told here rather than guessed from the environment: the same language as ours, whatever the locale.
  parser.locale(lang === 'zh' ? 'zh_CN' : 'en');
  try {
    await parser.parseAsync();
  } catch (err) {
    // Messages name files, and a file's name may hold terminal escapes: printed made safe.
    if (err instanceof CliError) {
      process.stderr.write(`teardown: ${terminalSafe(err.words(lang))}\n`);
      if (err.usageHint) process.stderr.write(`${message('usageHint')(lang)}\n`);
      return err.code;
    }
    if (isWriteError(err)) {
      process.stderr.write(outputErrorLine(err, lang));
      return EXIT.usage;
    }
    const e = err as Error;
    process.stderr.write(`teardown: ${terminalSafe(message('internalError', { message: e.message })(lang))}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    return EXIT.usage;
  }
  debug = false;
  return code;
}

export { hideBin };

import { createRequire } from 'node:module';
import type YargsModule from 'yargs';
import type * as YargsHelpers from 'yargs/helpers';
import { SCENARIO_NAMES } from '../lab/names.js';
import { CliError, EXIT } from './exit.js';
import { EXAMPLE_CAPTURES, EXAMPLES_DIR, captureToRead, exampleList } from './example-captures.js';
import type { ExitCode } from './exit.js';
import { isWriteError, outputErrorLine } from './output.js';
import { terminalSafe } from './terminal-text.js';
import { defaultLang, jobsNumber, tunnelsOption, vxlanPortOption, withExampleOption, withLadderOption, withSelectionOptions, withViewOptions } from './options.js';
import type { ViewOptions } from './options.js';
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
 * directory, which holds an expectation file for each.
 */
const EXAMPLES = `Examples:
  teardown analyze --example course-close-then-data   every connection: table, verdict, summary
  teardown analyze --example lab-mixed --flow 2       one connection only
  teardown analyze --example lab-mixed --format json  the same for programs
  teardown analyze --example lab-mixed --class abort  one class (also --host ADDR, --port P)
  teardown analyze --example lab-mixed -- port 12102  a capture filter, as tcpdump takes it
  tcpdump -i lo -U -w - 'tcp port 12000' | teardown analyze -
                                                      Ctrl-C: what was read is printed
  tcpdump -i eth0 -G 3600 -w 'cap_%H.pcap' port 443   hourly files; then
    teardown analyze 'cap_*' -o day.txt               all of them as one capture, into day.txt
  teardown live -i lo tcp port 12000                  live; verdicts as they end; Ctrl-C: summary
  teardown live -i eth0 -w out.pcap --duration 60 port 443
  teardown lab --list                                 the lab scenarios and their socket calls
  teardown lab close-then-data                        the course's close()-before-reading example
  teardown analyze --example refused --ladder         each connection as a ladder diagram
  teardown report --example lab-mixed -o report.html  the same as one self-contained HTML page
  teardown check ${EXAMPLES_DIR}
                                                      every capture there against its .expect.json
  teardown annotate --example course-half-close -o annotated.pcapng
                                                      the capture with teardown's reading as comments

Example captures (--example NAME, for analyze, report and annotate; --example list says what each shows):
  ${EXAMPLE_CAPTURES.map((e) => e.name).join(', ')}
  in ${EXAMPLES_DIR}

Exit status: 0 done, 1 a check mismatch, 2 usage or unreadable input (or nothing selected),
3 damaged input (partial results printed), 130 (143, 129) the input ended by Ctrl-C (SIGTERM,
SIGHUP; what was read printed).`;

/**
 * `live`'s default snap length: room for Ethernet, two VLAN tags, IPv6 with extension headers and
 * TCP with 40 bytes of options. Measured here, whole 64 KiB loopback packets made tcpdump drop most
 * of a bulk transfer even when piped to `cat`; headers only, nothing was dropped (docs/live-and-lab.md, "Snap length").
 */
const LIVE_SNAPLEN = 256;

const CAPTURE_WORDS = 'capture files (.pcap, .pcapng, gzip or not; several, or a glob, read as one), or - for standard input; then a capture filter, as tcpdump takes it';

/** `-o FILE` and `-c N`, for `analyze`. */
function withReadOptions<T>(y: Argv<T>) {
  return y
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE (replaced whole once complete; - standard output)' })
    .option('count', { alias: 'c', type: 'number', describe: 'stop after N packets (tcpdump -c)' })
    .option('jobs', { alias: 'j', type: 'number', coerce: jobsNumber, describe: 'analyse on N worker threads, connections shared out by their addresses and ports; the output is the same (default for a capture file of 32 MB or more: the cores available less one, none on fewer than 3; 1: one thread)' });
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
  const parser = yargs(argv)
    .scriptName('teardown')
    .version(VERSION)
    .usage('$0 <command> [options]\n\nExplains how TCP connections close.')
    .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of internal errors' })
    .command(
      'analyze [capture..]',
      'annotated packet table, verdict and explanation of every TCP connection in a capture (- for standard input)',
      (y) => withReadOptions(withLadderOption(withViewOptions(withExampleOption(y.positional('capture', { type: 'string', array: true, describe: CAPTURE_WORDS }))))),
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
      'the same analysis live from an interface, streamed as packets arrive (needs root or CAP_NET_RAW, and tcpdump)',
      (y) => withViewOptions(y
        .positional('filter', { type: 'string', array: true, describe: 'capture filter, as tcpdump takes it (e.g. tcp port 12000)' })
        .option('interface', { alias: 'i', type: 'string', demandOption: true, describe: 'interface to capture on (e.g. lo, eth0)' })
        .option('write', { alias: 'w', type: 'string', describe: 'also write the capture to this pcap file' })
        .option('duration', { type: 'number', describe: 'stop after S seconds' })
        .option('count', { alias: 'c', type: 'number', describe: 'stop after N packets (tcpdump -c)' })
        .option('output', { alias: 'o', type: 'string', describe: 'write the output to FILE as it comes (- standard output)' })
        .option('stuck-after', { type: 'number', default: 5, describe: 'warn when a connection has sat in CLOSE_WAIT or FIN_WAIT_2 this many seconds' })
        .option('snaplen', { type: 'number', default: LIVE_SNAPLEN, describe: 'bytes kept of each packet (headers are enough; 0: whole packets, for -w files with payload)' })),
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
      'runs a client and server on 127.0.0.1 that close in the named way, captures them on lo and analyses the capture (needs root and tcpdump)',
      (y) => withLadderOption(withViewOptions(y
        .positional('scenario', { type: 'string', choices: SCENARIO_NAMES, describe: 'how the connection closes (--list explains each)' })
        .option('list', { type: 'boolean', default: false, describe: 'list the scenarios and their socket calls' })
        .option('write', { alias: 'w', type: 'string', describe: 'keep the capture in this pcap file' })
        .option('duration', { type: 'number', describe: 'stop the capture after S seconds' })
        .option('count', { type: 'number', describe: 'stop the capture after N packets' }))),
      async (a) => {
        const { runLab } = await import('./commands/lab.js');
        code = await runLab({ scenario: a.scenario, list: a.list, write: a.write, duration: a.duration, count: a.count },
          viewOptions(a as Record<string, unknown>), stdout, process.stderr);
      },
    )
    .command(
      'report [capture..]',
      'the analysis as one self-contained HTML page: summary chart, a card per connection with its ladder diagram and packet table',
      (y) => withSelectionOptions(withExampleOption(y
        .positional('capture', { type: 'string', array: true, describe: CAPTURE_WORDS })))
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'the HTML file to write (- for standard output)' })
        .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of notes and explanations' })
        .option('packets', { type: 'boolean', default: true, describe: 'ladders and packet tables (--no-packets: verdicts only)' })
        .option('tunnels', tunnelsOption)
        .option('vxlan-port', vxlanPortOption),
      async (a) => {
        const input = inputOf(a, argv);
        if (input === undefined) {
          stdout.write(exampleList(a.lang));
          return;
        }
        const { runReport } = await import('./commands/report.js');
        code = await runReport(input, {
          output: String(a.output), flow: a.flow, port: a.port, host: a.host, class: a.class, lang: a.lang, packets: a.packets, tunnels: a.tunnels, vxlanPorts: a['vxlan-port'],
        }, stdout, process.stderr);
      },
    )
    .command(
      'annotate [capture]',
      'the capture again as pcapng, each TCP packet commented with its states and notes, each verdict on the packet that decides it, for Wireshark (docs/annotate.md)',
      (y) => withExampleOption(y
        .positional('capture', { type: 'string', describe: '.pcap or .pcapng file, or - for standard input' }))
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'the pcapng file to write (- for standard output)' })
        .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of notes and explanations' }),
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
      'check <paths..>',
      'regression: compare each capture\'s verdicts with its expectation file (x.pcap beside x.expect.json)',
      (y) => y
        .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'capture files or directories (searched recursively)' })
        .option('update', { type: 'boolean', default: false, describe: 'write the expectation files from today\'s verdicts (class, detail, closer, trailingBytes), keeping other fields' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output form' })
        .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of explanations' })
        .option('output', { alias: 'o', type: 'string', describe: 'write the results to FILE (replaced whole once complete; - standard output)' }),
      async (a) => {
        const { runCheck } = await import('./commands/check.js');
        code = await withOutputFile(a.output, true, stdout, (out) => runCheck((a.paths as string[]).map(String), { update: a.update, format: a.format, lang: a.lang }, out));
      },
    )
    // yargs' own: prints a bash (or zsh) script that completes commands, options and choices by
    // asking `teardown --get-yargs-completions` (docs/contract.md, "Commands").
    .completion('completion', 'print the shell completion script (bash; zsh when SHELL is zsh): teardown completion >> ~/.bashrc')
    .demandCommand(1, 'name a command: analyze, report, annotate, check, live, lab')
    .strict()
    .epilog(EXAMPLES)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own errors (YError: a `coerce` that refused a value, flowNumbers) are usage errors.
      if (err && err.name !== 'YError') throw err;
      throw new CliError(msg, EXIT.usage, true);
    })
    .help();
  // yargs words its own parts of the help (Options:, [boolean], Show help) by LANG; --lang zh asks for them too.
  if (argv.some((a, i) => a === '--lang=zh' || (a === '--lang' && argv[i + 1] === 'zh'))) parser.locale('zh_CN');
  try {
    await parser.parseAsync();
  } catch (err) {
    // Messages name files, and a file's name may hold terminal escapes: printed made safe.
    if (err instanceof CliError) {
      process.stderr.write(`teardown: ${terminalSafe(err.message)}\n`);
      if (err.usageHint) process.stderr.write(`Run 'teardown --help' for usage.\n`);
      return err.code;
    }
    if (isWriteError(err)) {
      process.stderr.write(outputErrorLine(err));
      return EXIT.usage;
    }
    const e = err as Error;
    process.stderr.write(`teardown: internal error: ${terminalSafe(e.message)}\n`);
    if (debug) process.stderr.write(`${e.stack ?? ''}\n`);
    return EXIT.usage;
  }
  debug = false;
  return code;
}

export { hideBin };

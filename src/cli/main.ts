import { createRequire } from 'node:module';
import type YargsModule from 'yargs';
import type * as YargsHelpers from 'yargs/helpers';
import { SCENARIO_NAMES } from '../lab/names.js';
import { CliError, EXIT } from './exit.js';
import { EXAMPLE_CAPTURES, EXAMPLES_DIR, captureToRead, exampleList } from './example-captures.js';
import type { ExitCode } from './exit.js';
import { isWriteError, outputErrorLine } from './output.js';
import { terminalSafe } from './terminal-text.js';
import { defaultLang, flowNumbers, portNumbers, tunnelsOption, vxlanPortOption, withExampleOption, withLadderOption, withViewOptions } from './options.js';
import type { ViewOptions } from './options.js';

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
  tcpdump -i lo -U -w - 'tcp port 12000' | teardown analyze -
  teardown live -i lo tcp port 12000                  live; verdicts as they end; Ctrl-C: summary
  teardown live -i eth0 -w out.pcap --duration 60 port 443
  teardown lab --list                                 the lab scenarios and their socket calls
  teardown lab close-then-data                        the course's close()-before-reading example
  teardown analyze --example refused --ladder         each connection as a ladder diagram
  teardown report --example lab-mixed -o report.html  the same as one self-contained HTML page
  teardown check ${EXAMPLES_DIR}
                                                      every capture there against its .expect.json

Example captures (--example NAME, for analyze and report; --example list says what each shows):
  ${EXAMPLE_CAPTURES.map((e) => e.name).join(', ')}
  in ${EXAMPLES_DIR}

Exit status: 0 done, 1 a check mismatch, 2 usage or unreadable input,
3 damaged input (partial results printed).`;

/**
 * `live`'s default snap length: room for Ethernet, two VLAN tags, IPv6 with extension headers and
 * TCP with 40 bytes of options. Measured here, whole 64 KiB loopback packets made tcpdump drop most
 * of a bulk transfer even when piped to `cat`; headers only, nothing was dropped (docs/live-and-lab.md, "Snap length").
 */
const LIVE_SNAPLEN = 256;

function viewOptions(a: Record<string, unknown>): ViewOptions {
  return {
    format: a['format'] as ViewOptions['format'],
    flow: a['flow'] as number[] | undefined,
    port: a['port'] as number[] | undefined,
    time: a['time'] as ViewOptions['time'],
    color: a['color'] as ViewOptions['color'],
    lang: a['lang'] as ViewOptions['lang'],
    packets: a['packets'] !== false,
    packetsForced: a['packets'] === true,
    ladder: a['ladder'] === true,
    tunnels: a['tunnels'] !== false,
    vxlanPorts: a['vxlan-port'] as number[] | undefined,
    debug: a['debug'] === true,
  };
}

/**
 * Runs the command line; returns the exit status. Only this module and cli.ts touch the process.
 *
 * Each command's module is imported when that command runs, not up front: loading them all (the
 * live capture, the lab's sockets, the HTML report, the text tables (then drawn by cli-table3) and
 * string-width) took longer than analysing a small capture (docs/performance.md, "Start-up").
 */
export async function main(argv: string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  let debug = argv.includes('--debug');
  const parser = yargs(argv)
    .scriptName('teardown')
    .version(VERSION)
    .usage('$0 <command> [options]\n\nExplains how TCP connections close.')
    .option('debug', { type: 'boolean', default: false, describe: 'show stack traces of internal errors' })
    .command(
      'analyze [capture]',
      'annotated packet table, verdict and explanation of every TCP connection in a capture (- for standard input)',
      (y) => withLadderOption(withViewOptions(withExampleOption(y.positional('capture', { type: 'string', describe: '.pcap or .pcapng file, or - for standard input' })))),
      async (a) => {
        const capture = captureToRead(a.capture, a.example);
        if (capture === undefined) {
          process.stdout.write(exampleList());
          return;
        }
        const { runAnalyze } = await import('./commands/analyze.js');
        code = await runAnalyze(capture, viewOptions(a as Record<string, unknown>), process.stdout, process.stderr);
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
        .option('count', { type: 'number', describe: 'stop after N packets (tcpdump -c)' })
        .option('stuck-after', { type: 'number', default: 5, describe: 'warn when a connection has sat in CLOSE_WAIT or FIN_WAIT_2 this many seconds' })
        .option('snaplen', { type: 'number', default: LIVE_SNAPLEN, describe: 'bytes kept of each packet (headers are enough; 0: whole packets, for -w files with payload)' })),
      async (a) => {
        const { runLive } = await import('./commands/live.js');
        code = await runLive({
          iface: String(a.interface),
          // Words after `--` (`live -i lo -- tcp port 80`) reach yargs' `_`, after the command's name: they are filter words too.
          filter: [...(a.filter ?? []), ...a._.slice(1)].map(String),
          write: a.write,
          duration: a.duration,
          count: a.count,
          stuckAfter: a['stuck-after'],
          snaplen: a.snaplen,
        }, viewOptions(a as Record<string, unknown>), process.stdout, process.stderr);
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
          viewOptions(a as Record<string, unknown>), process.stdout, process.stderr);
      },
    )
    .command(
      'report [capture]',
      'the analysis as one self-contained HTML page: summary chart, a card per connection with its ladder diagram and packet table',
      (y) => withExampleOption(y
        .positional('capture', { type: 'string', describe: '.pcap or .pcapng file, or - for standard input' }))
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'the HTML file to write (- for standard output)' })
        .option('flow', { type: 'number', array: true, coerce: flowNumbers, describe: 'only connection N (repeatable)' })
        .option('port', { type: 'number', array: true, coerce: portNumbers, describe: 'only connections on port P (repeatable)' })
        .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of notes and explanations' })
        .option('packets', { type: 'boolean', default: true, describe: 'ladders and packet tables (--no-packets: verdicts only)' })
        .option('tunnels', tunnelsOption)
        .option('vxlan-port', vxlanPortOption),
      async (a) => {
        const capture = captureToRead(a.capture, a.example);
        if (capture === undefined) {
          process.stdout.write(exampleList());
          return;
        }
        const { runReport } = await import('./commands/report.js');
        code = await runReport(capture, {
          output: String(a.output), flow: a.flow, port: a.port, lang: a.lang, packets: a.packets, tunnels: a.tunnels, vxlanPorts: a['vxlan-port'],
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
        .option('lang', { choices: ['en', 'zh'] as const, default: defaultLang(process.env), describe: 'language of explanations' }),
      async (a) => {
        const { runCheck } = await import('./commands/check.js');
        code = await runCheck((a.paths as string[]).map(String), { update: a.update, format: a.format, lang: a.lang }, process.stdout);
      },
    )
    .demandCommand(1, 'name a command: analyze, report, check, live, lab')
    .strict()
    .epilog(EXAMPLES)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own errors (YError: a `coerce` that refused a value, flowNumbers) are usage errors.
      if (err && err.name !== 'YError') throw err;
      throw new CliError(msg, EXIT.usage, true);
    })
    .help();
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

import { Writable } from 'node:stream';
import { runAnalyze } from '../../src/cli/commands/analyze.js';
import type { ViewOptions } from '../../src/cli/options.js';
import type { CliRun } from './run-cli.js';

/**
 * `teardown analyze` in this process: runAnalyze (what the CLI calls once yargs has parsed its
 * arguments) writing into memory. For golden outputs, where the renderers are under test and not the
 * process around them: spawning the built CLI cost about 0.2 s a case. What only a process shows
 * (argument parsing, exit codes, stdout as a pipe or file, signals) stays spawned: cli.test.ts,
 * pipe.test.ts, and one comparison of the two in fixtures.test.ts.
 *
 * `run`: the runAnalyze of another build (the jobs test runs dist's, whose workers are built).
 * `o` is what the command line would give: the defaults are the CLI's (LANG=C.UTF-8, NO_COLOR) with
 * `--color never`.
 */
export async function analyzeInProcess(path: string, o: Partial<ViewOptions> = {}, run = runAnalyze): Promise<CliRun> {
  const options = viewOptionsOf(o);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  // Copies: the report's byte buffers may be written again once a write returns (ByteLines.writeTo).
  const sink = (into: Buffer[]): Writable => new Writable({
    write(chunk: Buffer | string, _enc, done) {
      into.push(Buffer.from(chunk));
      done();
    },
  });
  const code = await run(path, options, sink(out), sink(err));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The options the command line gives `analyze` with `--color never`, and `o` over them. */
export function viewOptionsOf(o: Partial<ViewOptions> = {}): ViewOptions {
  return {
    format: 'text', flow: undefined, port: undefined, host: undefined, class: undefined, time: 'relative', color: 'never', lang: 'en',
    packets: true, packetsForced: false, ladder: false, tunnels: true, vxlanPorts: undefined, debug: false, ...o,
  };
}

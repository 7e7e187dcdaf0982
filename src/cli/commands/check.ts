import { Analyzer } from '../../analysis/analyze.js';
import { CHECK_WORDS } from '../../render/check-words.js';
import type { CheckWords } from '../../render/check-words.js';
import type { Expectation, Mismatch } from '../../analysis/expectation.js';
import { MAX_EXPECTATION_BYTES, compareFlow, expectationAround, flowEntryText, parseExpectation, updatedEntry } from '../../analysis/expectation.js';
import { IdOrderSpill } from '../../render/id-order-spill.js';
import { RowChunks } from '../../render/row-chunks.js';
import type { FlowReport } from '../../analysis/report.js';
import type { Lang } from '../../render/notes.js';
import { CAPTURE_NAME, findCaptures, notRegularFile, readSmallFile, replaceFile } from '../check-files.js';
import { CliError, EXIT } from '../exit.js';
import { asIs, message } from '../messages.js';
import type { Wording } from '../messages.js';
import type { ExitCode } from '../exit.js';
import { terminalSafe } from '../terminal-text.js';
import { analyzeFile, damageLine } from './analyze.js';
import { explanationOf } from '../../render/explanations/string.js';

export const expectationPath = (capture: string): string => capture.replace(CAPTURE_NAME, '') + '.expect.json';

/**
 * One capture's outcome. `unreadable`: the capture or its expectation could not be read (or the
 * capture is damaged); `unwritable`: `--update` could not write the expectation. `error` is worded
 * in the language in force for the text report, and in English for the JSON (docs/contract.md,
 * "Expectation files"): a value of the JSON, as its field names are, never changes with `--lang`.
 */
interface CaptureResult {
  capture: string;
  expectation: string;
  connections: number;
  status: 'ok' | 'mismatch' | 'updated' | 'no-expectation' | 'unreadable' | 'unwritable';
  mismatches: Array<Mismatch & { endpoints?: string; explanation?: string }>;
  error?: Wording;
}

/** A result as the JSON has it: the error in English. */
const resultJson = ({ error, ...rest }: CaptureResult) => (error === undefined ? rest : { ...rest, error: error('en') });

const endpoints = (f: FlowReport): string => `${f.client.ip}:${f.client.port} → ${f.server.ip}:${f.server.port}`;

async function checkOne(capture: string, update: boolean, lang: Lang): Promise<CaptureResult> {
  const expectation = expectationPath(capture);
  const base = { capture, expectation, connections: 0, mismatches: [] };
  const notFile = notRegularFile(capture);
  if (notFile !== undefined) return { ...base, status: 'unreadable', error: notFile };
  let exp: Expectation | undefined;
  const read = readSmallFile(expectation, MAX_EXPECTATION_BYTES);
  if (read.state === 'problem') {
    return { ...base, status: 'unreadable', error: read.message };
  } else if (read.state === 'text') {
    try {
      exp = parseExpectation(read.text);
    } catch (e) {
      // --update rewrites an expectation that is not one; a file that cannot be read stays as it is.
      if (!update) return { ...base, status: 'unreadable', error: message('badExpectation', { path: expectation, reason: (e as Error).message }) };
    }
  } else if (!update) {
    return { ...base, status: 'no-expectation', error: message('noExpectation', { capture, expectation }) };
  }
  // Each connection is compared (or its entry written) as it is released: nothing is kept of it
  // but its mismatches (docs/performance.md, "Memory for every format").
  let connections = 0;
  const found: CaptureResult['mismatches'] = [];
  const entries = new RowChunks();
  const inOrder = new IdOrderSpill((entry) => entries.add(entry));
  const analyzer: Analyzer = new Analyzer(capture, {
    packets: false,
    keepFlows: false,
    onFlow: (c, v) => {
      connections++;
      const f = analyzer.flowReport(c, v);
      const want = exp?.flows[f.id - 1];
      if (update) {
        inOrder.add(f.id, Buffer.from(flowEntryText(updatedEntry(want, f), f.id === 1)));
        return;
      }
      if (want === undefined) return;
      for (const m of compareFlow(want, f, f.id)) found.push({ ...m, endpoints: endpoints(f), explanation: explanationOf(f.teardown.explain, lang) });
    },
  });
  let report;
  try {
    report = await analyzeFile(capture, analyzer);
  } catch (e) {
    entries.close();
    // Unreadable input, or a fault of ours on this capture: either way, reported here and the run goes on.
    return { ...base, status: 'unreadable', error: e instanceof CliError ? e.words : message('internalError', { message: (e as Error).message }) };
  } finally {
    inOrder.close();
  }
  const damage = report.errors[0];
  if (damage) {
    entries.close();
    return { ...base, connections, status: 'unreadable', error: (lang) => damageLine(damage, lang) };
  }
  if (update) {
    try {
      const { before, after } = expectationAround(exp, connections);
      // A generator, not an array: each chunk of entries is valid only until the next is read.
      replaceFile(expectation, (function* () {
        yield before;
        yield* entries.sealed();
        yield after;
      })());
    } catch (e) {
      return { ...base, connections, status: 'unwritable', error: e instanceof CliError ? e.words : asIs((e as Error).message) };
    } finally {
      entries.close();
    }
    return { ...base, connections, status: 'updated' };
  }
  entries.close();
  const wanted = exp?.flows.length ?? 0;
  const count = wanted !== connections ? [{ flow: 0, field: 'connections', expected: wanted, got: connections }] : [];
  const mismatches = [...count, ...found.sort((a, b) => a.flow - b.flow)];
  return { ...base, connections, status: mismatches.length ? 'mismatch' : 'ok', mismatches };
}

/** A path that could not be a capture (findCaptures): reported in its place. */
const problemResult = (path: string, problem: Wording): CaptureResult =>
  ({ capture: path, expectation: expectationPath(path), connections: 0, status: 'unreadable', mismatches: [], error: problem });

/** The text report of one capture. Every line made safe for a terminal: names and values come from files. */
function textLines(r: CaptureResult, lang: Lang): string[] {
  return textLinesRaw(r, CHECK_WORDS[lang], lang).map(terminalSafe);
}

function textLinesRaw(r: CaptureResult, w: CheckWords, lang: Lang): string[] {
  if (r.error) return [w.error(r.capture, r.error(lang))];
  if (r.status === 'updated') return [w.wrote(r.capture, r.expectation, r.connections)];
  if (r.status === 'ok') return [w.ok(r.capture, r.connections)];
  const lines = [w.mismatch(r.capture)];
  for (const m of r.mismatches) {
    const where = m.flow === 0 ? w.count : w.field(m.flow, m.endpoints ?? '', m.field);
    lines.push(w.expectedGot(where, JSON.stringify(m.expected), JSON.stringify(m.got)));
    if (m.explanation) lines.push(w.saw(m.explanation));
  }
  return lines;
}

/**
 * `teardown check <dirs or files> [--update]`: regression mode (docs/contract.md, "Expectation
 * files"). Each capture is reported on its own, whatever happened to the others. Returns the exit
 * status: 2 when any capture or expectation could not be read or written (the check is incomplete),
 * else 1 when any mismatched, else 0.
 */
export async function runCheck(paths: string[], o: { update: boolean; format: 'text' | 'json'; lang: Lang }, out: NodeJS.WritableStream): Promise<ExitCode> {
  const captures = findCaptures(paths);
  if (captures.length === 0) throw new CliError(message('checkNoCaptures', { paths: paths.join(', ') }), EXIT.usage);
  const results: CaptureResult[] = [];
  for (const c of captures) {
    const r = c.problem !== undefined ? problemResult(c.path, c.problem) : await checkOne(c.path, o.update, o.lang);
    results.push(r);
    if (o.format === 'text') out.write(textLines(r, o.lang).join('\n') + '\n');
  }
  const connections = results.reduce((n, r) => n + r.connections, 0);
  const mismatches = results.reduce((n, r) => n + r.mismatches.length, 0);
  const errors = results.filter((r) => r.error).length;
  const code: ExitCode = errors ? EXIT.usage : mismatches ? EXIT.mismatch : EXIT.ok;
  if (o.format === 'json') {
    out.write(JSON.stringify({ captures: results.map(resultJson), summary: { captures: results.length, connections, mismatches, errors } }, null, 2) + '\n');
  } else {
    out.write(`${CHECK_WORDS[o.lang].total(results.length, connections, mismatches, errors)}\n`);
  }
  return code;
}

import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyze.js';
import type { Expectation, Mismatch } from '../../analysis/expectation.js';
import { compareExpectation, parseExpectation, updateExpectation } from '../../analysis/expectation.js';
import type { FlowReport } from '../../analysis/report.js';
import type { Lang } from '../../render/notes.js';
import { CliError, EXIT } from '../exit.js';
import type { ExitCode } from '../exit.js';
import { analyzeFile, damageLine } from './analyze.js';
import { explanationOf } from '../../render/explanations/string.js';

const CAPTURE = /\.(pcap|pcapng|cap)$/i;

/** The captures named: files as given, directories searched recursively, in sorted order. */
export function findCaptures(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new CliError(`cannot read ${p}: no such file or directory`, EXIT.usage);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        const child = join(p, name);
        if (statSync(child).isDirectory() || CAPTURE.test(name)) walk(child);
      }
    } else out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

export const expectationPath = (capture: string): string => capture.replace(CAPTURE, '') + '.expect.json';

interface CaptureResult {
  capture: string;
  expectation: string;
  connections: number;
  status: 'ok' | 'mismatch' | 'updated' | 'no-expectation' | 'unreadable';
  mismatches: Array<Mismatch & { endpoints?: string; explanation?: string }>;
  error?: string;
}

const endpoints = (f: FlowReport): string => `${f.client.ip}:${f.client.port} → ${f.server.ip}:${f.server.port}`;

async function checkOne(capture: string, update: boolean, lang: Lang): Promise<CaptureResult> {
  const expectation = expectationPath(capture);
  const base = { capture, expectation, connections: 0, mismatches: [] };
  let exp: Expectation | undefined;
  if (existsSync(expectation)) {
    try {
      exp = parseExpectation(readFileSync(expectation, 'utf8'));
    } catch (e) {
      if (!update) return { ...base, status: 'unreadable', error: `${expectation}: ${(e as Error).message}` };
    }
  } else if (!update) {
    return { ...base, status: 'no-expectation', error: `${capture}: no expectation file ${expectation} (write one with --update)` };
  }
  let report;
  try {
    report = await analyzeFile(capture, new Analyzer(capture, { packets: false }));
  } catch (e) {
    if (e instanceof CliError) return { ...base, status: 'unreadable', error: e.message };
    throw e;
  }
  const damage = report.errors[0];
  if (damage) return { ...base, connections: report.flows.length, status: 'unreadable', error: damageLine(damage) };
  if (update) {
    writeFileSync(expectation, JSON.stringify(updateExpectation(exp, report.flows), null, 2) + '\n');
    return { ...base, connections: report.flows.length, status: 'updated' };
  }
  const mismatches = compareExpectation(exp ?? { flows: [] }, report.flows).map((m) => {
    const f = report.flows[m.flow - 1];
    return f ? { ...m, endpoints: endpoints(f), explanation: explanationOf(f.teardown.explain, lang) } : m;
  });
  return { ...base, connections: report.flows.length, status: mismatches.length ? 'mismatch' : 'ok', mismatches };
}

function textLines(r: CaptureResult): string[] {
  if (r.error) return [`${r.capture}: ERROR: ${r.error}`];
  if (r.status === 'updated') return [`${r.capture}: wrote ${r.expectation} (${r.connections} connection${r.connections === 1 ? '' : 's'})`];
  if (r.status === 'ok') return [`${r.capture}: ok (${r.connections} connection${r.connections === 1 ? '' : 's'})`];
  const lines = [`${r.capture}: MISMATCH`];
  for (const m of r.mismatches) {
    const where = m.flow === 0 ? 'number of connections' : `connection ${m.flow} ${m.endpoints ?? ''}: ${m.field}`;
    lines.push(`  ${where}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)}`);
    if (m.explanation) lines.push(`    what we saw: ${m.explanation}`);
  }
  return lines;
}

/** `teardown check <dirs or files> [--update]`: regression mode (docs/contract.md, "Expectation files"). Returns the exit status. */
export async function runCheck(paths: string[], o: { update: boolean; format: 'text' | 'json'; lang: Lang }, out: NodeJS.WritableStream): Promise<ExitCode> {
  const captures = findCaptures(paths);
  if (captures.length === 0) throw new CliError(`no capture files (.pcap, .pcapng) in ${paths.join(', ')}`, EXIT.usage);
  const results: CaptureResult[] = [];
  for (const c of captures) {
    const r = await checkOne(c, o.update, o.lang);
    results.push(r);
    if (o.format === 'text') out.write(textLines(r).join('\n') + '\n');
  }
  const connections = results.reduce((n, r) => n + r.connections, 0);
  const mismatches = results.reduce((n, r) => n + r.mismatches.length, 0);
  const errors = results.filter((r) => r.error).length;
  const code: ExitCode = errors ? EXIT.usage : mismatches ? EXIT.mismatch : EXIT.ok;
  if (o.format === 'json') {
    out.write(JSON.stringify({ captures: results, summary: { captures: results.length, connections, mismatches, errors } }, null, 2) + '\n');
  } else {
    out.write(`check: ${results.length} capture${results.length === 1 ? '' : 's'}, ${connections} connection${connections === 1 ? '' : 's'}, ${mismatches} mismatch${mismatches === 1 ? '' : 'es'}${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}\n`);
  }
  return code;
}

#!/usr/bin/env node
/**
 * Scores a Stryker JSON report (reports/mutation/mutation.json by default) per directory and per
 * file, and lists the mutants left alive: `node scripts/mutation/summary.mjs [report.json...]
 * [--survivors]`. Several reports are merged file by file (a later report's file replaces an
 * earlier one's), so runs over different directories add up. The score is Stryker's: killed and
 * timed-out mutants over all mutants that compile and are not ignored (no coverage counts as alive).
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const showSurvivors = args.includes('--survivors');
const reports = args.filter((a) => !a.startsWith('--'));
if (reports.length === 0) reports.push('reports/mutation/mutation.json');

const files = {};
for (const r of reports) Object.assign(files, JSON.parse(readFileSync(r, 'utf8')).files);

const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const tally = () => ({ killed: 0, timeout: 0, survived: 0, noCoverage: 0, other: 0 });
const add = (t, status) => {
  if (status === 'Killed') t.killed++;
  else if (status === 'Timeout') t.timeout++;
  else if (status === 'Survived') t.survived++;
  else if (status === 'NoCoverage') t.noCoverage++;
  else t.other++;
};
const score = (t) => {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  return valid === 0 ? 'n/a' : `${((100 * (t.killed + t.timeout)) / valid).toFixed(2)} %`;
};
const row = (name, t) => `${name.padEnd(34)} ${score(t).padStart(8)}  killed ${t.killed}  timeout ${t.timeout}  survived ${t.survived}  no coverage ${t.noCoverage}${t.other ? `  other ${t.other}` : ''}`;

const byDir = {};
const lines = [];
const survivors = [];
for (const [path, f] of Object.entries(files).sort()) {
  const t = tally();
  for (const m of f.mutants) {
    add(t, m.status);
    if (UNDETECTED.has(m.status)) {
      const src = f.source.split('\n')[m.location.start.line - 1]?.trim() ?? '';
      survivors.push(`${path}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}  | ${src.slice(0, 110)}`);
    }
  }
  const dir = path.split('/').slice(0, -1).join('/');
  byDir[dir] ??= tally();
  for (const k of Object.keys(t)) byDir[dir][k] += t[k];
  lines.push(row(`  ${path}`, t));
}
for (const [dir, t] of Object.entries(byDir)) console.log(row(dir, t));
console.log('');
for (const l of lines) console.log(l);
if (showSurvivors) {
  console.log('');
  for (const s of survivors) console.log(s);
}

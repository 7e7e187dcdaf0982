import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analyzer } from '../../analysis/analyze.js';
import type { FlowReport } from '../../analysis/report.js';
import { SCENARIO_NAMES, isScenario } from '../../lab/names.js';
import type { ScenarioName } from '../../lab/names.js';
import { SCENARIOS } from '../../lab/scenarios.js';
import type { Expected, Scenario } from '../../lab/scenarios.js';
import { sleep } from '../../lab/sockets.js';
import { CliError, EXIT } from '../exit.js';
import { message } from '../messages.js';
import type { ExitCode } from '../exit.js';
import type { ViewOptions } from '../options.js';
import type { LiveResult } from '../../capture/live.js';
import { runAnalyze } from './analyze.js';
import { captureUntilStopped, statsLine } from './live.js';
import { terminalSafe } from '../terminal-text.js';
import { LIVE_WORDS } from '../../render/live-words.js';
import { sideName, verdictTitle } from '../../render/names.js';
import type { Lang } from '../../render/notes.js';

export interface LabCommandOptions {
  scenario: string | undefined;
  list: boolean;
  write: string | undefined;
  duration: number | undefined;
  count: number | undefined;
}

/** Labs run on loopback only. */
const LAB_IFACE = 'lo';
/** After the exchange, the capture gets this long to hand over the last packets before it stops. */
const DRAIN_MS = 200;

/** `lab --list`: each scenario's socket calls in one line. */
export function scenarioList(lang: Lang = 'en'): string {
  const width = Math.max(...SCENARIO_NAMES.map((n) => n.length));
  return SCENARIO_NAMES.map((n) => `${n.padEnd(width)}  ${SCENARIOS[n].calls[lang]}`).join('\n') + '\n';
}

const verdictText = (v: Pick<Expected, 'class' | 'detail' | 'closer' | 'trailingBytes'>, lang: Lang): string =>
  LIVE_WORDS[lang].verdict(verdictTitle(v.class, v.detail, lang), sideName(v.closer, lang), v.trailingBytes);

/**
 * What to tell the user besides the analysis: whether the run came out as the scenario intends.
 * For `simultaneous` (best effort) it always says whether the FINs really crossed.
 */
export function labNote(name: ScenarioName, s: Scenario, flows: FlowReport[], lang: Lang = 'en'): string | undefined {
  const w = LIVE_WORDS[lang];
  const f = flows[0];
  if (f === undefined) return w.noConnection;
  const t = f.teardown;
  if (name === 'simultaneous') {
    if (t.class === 'graceful' && t.detail === 'simultaneous') return w.crossed;
    return w.serialised(verdictText(t, lang), s.bestEffort?.[lang] ?? '');
  }
  const e = s.expect;
  const causes = t.causes.map((c) => c.id).join(',');
  const causesMatch = e.causes === undefined || e.causes.every((id) => causes.split(',').includes(id));
  if (t.class === e.class && t.detail === e.detail && t.closer === e.closer && t.trailingBytes === e.trailingBytes && causesMatch) return undefined;
  return w.otherwise(verdictText(e, lang), verdictText(t, lang));
}

/** `teardown lab <scenario>`: docs/contract.md, "Commands"; docs/live-and-lab.md, "The lab". Returns the exit status. */
export async function runLab(c: LabCommandOptions, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  if (c.list) {
    out.write(scenarioList(o.lang));
    return EXIT.ok;
  }
  if (c.scenario === undefined) throw new CliError(message('labNoScenario', { scenarios: SCENARIO_NAMES.join(', ') }), EXIT.usage);
  if (!isScenario(c.scenario)) throw new CliError(message('labUnknown', { name: c.scenario, scenarios: SCENARIO_NAMES.join(', ') }), EXIT.usage);
  const name = c.scenario;
  const scenario = SCENARIOS[name];
  const text = o.format === 'text';
  const say = (line: string): void => {
    if (text) out.write(line + '\n');
    else err.write(`teardown: ${line}\n`);
  };

  const tmp = c.write === undefined ? mkdtempSync(join(tmpdir(), 'teardown-lab-')) : undefined;
  const file = c.write ?? join(tmp ?? '.', `${name}.pcap`);
  try {
    const prepared = await scenario.prepare();
    const filter = ['tcp', 'port', String(prepared.port)];
    // A quiet analysis alongside the capture: its verdict decides the note printed after the table.
    const check = new Analyzer(file, { packets: false });
    let exchange: Promise<void> = Promise.resolve();
    let failure: string | undefined;
    let result: LiveResult;
    try {
      result = await captureUntilStopped({ iface: LAB_IFACE, filter, write: file, duration: c.duration, count: c.count, snaplen: 0 }, (r) => check.onRecord(r), (capture) => {
        exchange = prepared.run()
          .catch((e: unknown) => { failure = e instanceof Error ? e.message : String(e); })
          .then(() => sleep(DRAIN_MS))
          .then(() => capture.stop());
      });
    } finally {
      await exchange;
      await prepared.cleanup();
    }
    if (failure !== undefined) throw new CliError(message('labFailed', { name, failure }), EXIT.usage);

    const words = LIVE_WORDS[o.lang];
    say(words.lab(name, scenario.calls[o.lang]));
    say(statsLine(LAB_IFACE, filter, result.stats, o.lang));
    if (text) out.write('\n');
    const code = await runAnalyze(file, o, out, err);
    const note = labNote(name, scenario, check.finish(result.info, result.damage).flows, o.lang);
    if (note !== undefined) say((text ? '\n' : '') + note);
    if (c.write !== undefined) say(words.kept(c.write));
    // tcpdump killed or failing during the run: what it captured was analysed, but the lesson may be cut short.
    if (result.failure !== undefined) {
      err.write(`teardown: ${words.failed(terminalSafe(result.failure))}\n`);
      return EXIT.usage;
    }
    return code;
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}

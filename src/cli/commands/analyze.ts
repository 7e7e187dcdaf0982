import type { CaptureDamage } from '../../capture/record.js';
import { UnreadableCaptureError } from '../../capture/record.js';
import { readCaptureFile } from '../../capture/read.js';
import { Analyzer } from '../../analysis/analyze.js';
import type { Report } from '../../analysis/report.js';
import { useColor } from '../../render/color.js';
import { flowJson, reportJson } from '../../render/json.js';
import { flowText, summaryText } from '../../render/text.js';
import { CliError, EXIT } from '../exit.js';
import type { ExitCode } from '../exit.js';
import type { ViewOptions } from '../options.js';
import { selected } from '../view.js';

/** Reads one capture through an analyzer. Unreadable input becomes a CliError (exit 2). */
export async function analyzeFile(path: string, analyzer: Analyzer): Promise<Report> {
  try {
    const result = await readCaptureFile(path, (r) => analyzer.onRecord(r));
    return analyzer.finish(result.info, result.damage);
  } catch (err) {
    if (err instanceof UnreadableCaptureError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function damageLine(d: CaptureDamage): string {
  return `${d.file}: damaged at byte offset ${d.offset} (packet ${d.packet}): ${d.message}; the packets before it were analysed`;
}

/** `teardown analyze <capture>`: SPEC 5. Returns the exit status. */
export async function runAnalyze(path: string, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  const name = path === '-' ? 'stdin' : path;
  const origin = () => analyzer.firstTime ?? { sec: 0, nsec: 0 };
  const analyzer: Analyzer = new Analyzer(name, {
    packets: o.packets,
    lang: o.lang,
    keepFlows: o.format !== 'ndjson',
    ...(o.format === 'ndjson'
      ? { onFlow: (f) => { if (selected(f, o)) out.write(JSON.stringify(flowJson(f, origin(), o.lang)) + '\n'); } }
      : {}),
  });
  const report = await analyzeFile(path, analyzer);
  const shown = report.flows.filter((f) => selected(f, o));
  if (o.format === 'json') {
    out.write(reportJson({ ...report, flows: shown }, origin(), o.lang));
  } else if (o.format === 'ndjson') {
    out.write(JSON.stringify({ capture: report.capture, summary: report.summary, errors: report.errors }) + '\n');
  } else {
    const color = useColor(o.color, Boolean((out as NodeJS.WriteStream).isTTY), process.env);
    const textOpts = { color, lang: o.lang, time: o.time, origin: origin(), digits: analyzer.digits };
    for (const f of shown) out.write(flowText(f, textOpts) + '\n');
    out.write(summaryText(shown, report));
  }
  for (const d of report.errors) err.write(`teardown: ${damageLine(d)}\n`);
  return report.errors.length ? EXIT.damaged : EXIT.ok;
}

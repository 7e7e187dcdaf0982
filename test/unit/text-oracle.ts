import type { FlowReport } from '../../src/analysis/report.js';
import { bold } from '../../src/render/color.js';
import type { Lang } from '../../src/render/notes.js';
import type { TextOptions } from '../../src/render/text.js';
import { endpointText, packetLines } from '../../src/render/text.js';
import { explanationOf } from '../../src/render/explanations/string.js';
import { causeLine } from '../../src/render/causes.js';
import { LABELS } from '../../src/render/labels.js';
import { handshakeName, sideName, verdictTitle } from '../../src/render/names.js';
import { viaText } from '../../src/render/via.js';

/**
 * The verdict line, explanation and evidence written out again from the report with strings and
 * the string sink: an oracle for the byte writer's (text-columns.ts, writeVerdictLines), which
 * every text block and the HTML report's cards print.
 */
export function verdictLines(f: FlowReport, lang: Lang): string[] {
  const t = f.teardown;
  const w = LABELS[lang];
  let line = `${w.verdict}${verdictTitle(t.class, t.detail, lang)}${w.closer}${sideName(t.closer, lang)}${w.resetBy}${sideName(t.resetBy, lang)}`;
  if (t.trailingBytes) line += `${w.trailingBytes}${t.trailingBytes}${w.bytesUnit}`;
  if (t.stuckFor !== null) line += `${w.stuckFor}${w.seconds(t.stuckFor.toFixed(3))}`;
  line += `${w.finalStates}${f.finalState.client} / ${f.finalState.server}`;
  return [
    line, `  ${explanationOf(t.explain, lang)}`, `  ${w.evidence}${t.evidence.map((n) => `#${n}`).join(' ') || '-'}`,
    ...t.causes.map((c) => `  ${causeLine(c, t, lang)}`),
  ];
}

/**
 * A connection's text block as the report prints it, built from its FlowReport by the string
 * helpers (heading, packet table, the verdict lines above): the oracle the byte writer (text-columns.ts,
 * writeFlowBlock) is checked against, in these tests and the fuzzer.
 */
export function flowText(f: FlowReport, o: TextOptions): string {
  const w = LABELS[o.lang];
  const heading = `${w.connection}${f.id}${w.colon}${endpointText(f.client)} → ${endpointText(f.server)}${w.clientToServer}${f.firstPacket}–#${f.lastPacket}${w.handshake(handshakeName(f.handshake, o.lang))}${f.via ? `${w.comma}${viaText(f.via, o.lang)}` : ''}`;
  const lines = [bold(heading, o.color)];
  if (f.rows) lines.push(...packetLines(f, o));
  lines.push(...verdictLines(f, o.lang));
  return lines.join('\n') + '\n';
}

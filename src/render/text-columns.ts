/**
 * The text report's block of a connection, written from its view and verdict straight into a
 * ByteLines buffer: heading, verdict, explanation, evidence (the packet table, when there is one,
 * goes between heading and verdict: analyze-text.ts), for analyze and live alike (its summary row:
 * summary-table.ts).
 * test/unit/text-columns.test.ts holds the two side by side on every fixture.
 */
import type { ConnectionView, SideView } from '../flow/view.js';
import { handshakeOf } from '../flow/view.js';
import { verdictNamesNo } from '../analysis/verdict-keys.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ExplainFacts } from '../analysis/explain-facts.js';
import { explainFacts, newFacts, stuckUnsure } from '../analysis/explain-facts.js';
import type { FlowReport } from '../analysis/report.js';
import { TCP_STATES } from '../tcp/states.js';
import type { Lang } from './notes.js';
import type { ByteLines } from './byte-lines.js';
import { Encoded } from './byte-lines.js';
import { BOLD, RESET } from './color.js';
import { writeExplanation } from './explanations/bytes.js';
import { causeLine } from './causes.js';
import { LABELS } from './labels.js';
import { handshakeName, sideName, verdictTitle } from './names.js';
import { viaText } from './via.js';

const utf8 = Encoded.utf8;
const LANGS: readonly Lang[] = ['en', 'zh'];
const HANDSHAKES = ['complete', 'partial', 'none'] as const;

/** A language's constant parts, encoded once. Parts that meet are written as one: `#` with what comes before it. */
interface BlockParts {
  connection: Encoded;
  colon: Encoded;
  clientToServer: Encoded;
  trailingBytes: Encoded;
  bytesUnit: Encoded;
  evidence: Encoded;
  evidenceHash: Encoded;
}
const PARTS: readonly BlockParts[] = LANGS.map((lang) => {
  const w = LABELS[lang];
  return {
    connection: utf8(w.connection), colon: utf8(w.colon), clientToServer: utf8(w.clientToServer),
    trailingBytes: utf8(w.trailingBytes), bytesUnit: utf8(w.bytesUnit),
    evidence: utf8(`\n  ${w.evidence}`), evidenceHash: utf8(`\n  ${w.evidence}#`),
  };
});
const ARROW = utf8(' → ');
const EN_DASH_HASH = utf8('–#');
const SPACE_HASH = utf8(' #');
const BLANK_LINE = utf8('\n\n');
const NEWLINE = utf8('\n');
const langNo = (lang: Lang): number => (lang === 'zh' ? 1 : 0);

/**
 * What depends on a few names only is encoded once, in the block's wording, and kept by a small
 * number: the heading's end (by handshake, colour and language), the verdict's names (verdictNo)
 * and the final states (statesNo; summary-table.ts keeps its cells by the same numbers), each with
 * the language. Measured: about 70 ms less CPU than writing the names, on the benchmark's 210,000
 * connections.
 */
const verdictNo = verdictNamesNo;
export const statesNo = (c: ConnectionView): number => c.client.stateNo * 256 + c.server.stateNo;
const stateName = (no: number): string => TCP_STATES[no] ?? 'CLOSED';
const headingEnds: Array<Encoded | undefined> = [];
const verdictStarts: Array<Encoded | undefined> = [];
const statesLines: Array<Encoded | undefined> = [];

/** `, handshake …` and the heading line's end: by the handshake, colour and language. */
function headingEnd(flags: number, color: boolean, lang: Lang): Encoded {
  const handshake = handshakeOf(flags);
  const no = (HANDSHAKES.indexOf(handshake) * 2 + (color ? 1 : 0)) * 2 + langNo(lang);
  return (headingEnds[no] ??= utf8(`${LABELS[lang].handshake(handshakeName(handshake, lang))}${color ? RESET : ''}\n`));
}

/** The verdict line up to `reset by …`: by the verdict's names and the language. */
function verdictStart(v: BlockVerdict, lang: Lang): Encoded {
  const w = LABELS[lang];
  return (verdictStarts[verdictNo(v) * 2 + langNo(lang)] ??= utf8(`${w.verdict}${verdictTitle(v.class, v.detail, lang)}${w.closer}${sideName(v.closer, lang)}${w.resetBy}${sideName(v.resetBy, lang)}`));
}

/** `client / server` states. */
export function statesText(c: ConnectionView): string {
  return `${c.client.state} / ${c.server.state}`;
}

/** `ip:port`, or `[ip]:port` for an address with colons (IPv6), as text.ts writes an endpoint. */
export function writeEndpoint(out: ByteLines, side: SideView): void {
  const id = side.addressId;
  if (typeof id === 'number') out.dottedQuad(id);
  else if (id.includes(':')) {
    out.byte(0x5b);
    out.utf8(id);
    out.byte(0x5d);
  } else out.utf8(id);
  out.byte(0x3a);
  out.digits(side.port);
}

/** What the verdict lines name of a verdict: a Verdict is one, and a report's teardown with its key. */
export type BlockVerdict = Omit<Verdict, 'lastAckSeen'>;

/** One facts object for the connections written one after another. */
const shared = newFacts();

/**
 * A connection's block: its heading line, then its verdict line, explanation and evidence, and
 * (`blankLine`) the blank line after it. Returns where the verdict line starts in `out`: the text
 * report with rows puts the packet table there (analyze-text.ts).
 */
export function writeFlowBlock(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang, color: boolean, blankLine = true): number {
  const parts = PARTS[langNo(lang)] as BlockParts;
  if (color) out.ascii(BOLD);
  out.encoded(parts.connection);
  out.number(c.id);
  out.encoded(parts.colon);
  writeEndpoint(out, c.client);
  out.encoded(ARROW);
  writeEndpoint(out, c.server);
  out.encoded(parts.clientToServer);
  out.number(c.firstPacket);
  out.encoded(EN_DASH_HASH);
  out.number(c.lastPacket);
  const via = c.via;
  if (via === undefined) out.encoded(headingEnd(c.flagBits, color, lang));
  else out.utf8(`${LABELS[lang].handshake(handshakeName(handshakeOf(c.flagBits), lang))}${LABELS[lang].comma}${viaText(via, lang)}${color ? RESET : ''}\n`);
  const verdictAt = out.length;
  writeVerdictLines(out, statesNo(c), v, explainFacts(c, v, shared), stuckUnsure(v), lang);
  out.encoded(blankLine ? BLANK_LINE : NEWLINE);
  return verdictAt;
}

/**
 * The verdict line, explanation and evidence of a connection, without the last newline: the
 * block's (writeFlowBlock) and the HTML report's cards' (writeReportVerdict). `states` is the two
 * final states' numbers (statesNo).
 */
export function writeVerdictLines(out: ByteLines, states: number, v: BlockVerdict, facts: ExplainFacts, unsure: boolean, lang: Lang): void {
  const parts = PARTS[langNo(lang)] as BlockParts;
  const w = LABELS[lang];
  out.encoded(verdictStart(v, lang));
  if (v.trailingBytes) {
    out.encoded(parts.trailingBytes);
    out.number(v.trailingBytes);
    out.encoded(parts.bytesUnit);
  }
  if (v.stuckFor !== null) out.utf8(`${w.stuckFor}${w.seconds(v.stuckFor.toFixed(3))}`);
  out.encoded((statesLines[states * 2 + langNo(lang)] ??= utf8(`${w.finalStates}${stateName(states >> 8)} / ${stateName(states & 255)}\n  `)));
  writeExplanation(out, v.keyNo, facts, lang, unsure, 'text');
  const evidence = v.evidence;
  if (evidence.length === 0) {
    out.encoded(parts.evidence);
    out.byte(0x2d);
  }
  for (let i = 0; i < evidence.length; i++) {
    out.encoded(i === 0 ? parts.evidenceHash : SPACE_HASH);
    out.number(evidence[i] as number);
  }
  for (const cause of v.causes) out.utf8(`\n  ${causeLine(cause, v, lang)}`);
}

/** A finished connection's verdict lines (writeVerdictLines) from its report: the HTML report's cards. */
export function writeReportVerdict(out: ByteLines, f: FlowReport, lang: Lang): void {
  const t = f.teardown;
  const states = TCP_STATES.indexOf(f.finalState.client) * 256 + TCP_STATES.indexOf(f.finalState.server);
  writeVerdictLines(out, states, { ...t, keyNo: t.explain.keyNo }, t.explain.facts, t.explain.unsure, lang);
}

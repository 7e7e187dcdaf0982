/**
 * A verdict's explanation as a JSON string (or as plain text, for the text report), written into a
 * ByteLines buffer from byte templates.
 * explain() builds a text per connection that JSON.stringify then escapes and Buffer.write encodes:
 * measured on the 2 M-packet benchmark, about 350 ms of a 1.1 s ndjson report; this, about 100 ms.
 *
 * The catalogue (explain.ts) stays the one source of the words. A template is compiled from it once
 * per language, verdict key, closing side, lastAckSeen and UNSURE sentence, the only facts a text
 * may branch on: its text function is called with facts whose numbers are sentinels, and the text
 * is cut where their wordings appear. The words between are JSON-escaped and encoded once; each
 * connection's facts are written in the gaps, as the catalogue words them (factWords).
 */
import type { Lang } from './notes.js';
import type { ExplainFacts, VerdictKey } from '../analysis/explain.js';
import { VERDICT_KEYS, explainFacts, explanationText, factWords, newFacts, stuckUnsure } from '../analysis/explain.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ConnectionView } from '../flow/view.js';
import type { Side } from '../tcp/states.js';
import type { ByteLines } from './byte-lines.js';
import { Encoded } from './byte-lines.js';

/** The facts a template leaves open (a gap), in the order of their sentinels. */
const GAPS = ['port', 'bytes', 'fin', 'finAck', 'peerFin', 'peerFinAck', 'rst', 'data', 'stuckFor'] as const;
type Gap = (typeof GAPS)[number];

/** Sentinel of gap i: SENTINEL + i. Nine digits each, so that no wording is the start of another. */
const SENTINEL = 987_654_300;
/** What every sentinel starts with, to find one left in the words. */
const SENTINEL_DIGITS = '9876543';

/** How a gap's fact reads in a text (the catalogue's own wording). */
function wording(gap: Gap, x: number): string {
  if (gap === 'port' || gap === 'bytes') return `${x}`;
  if (gap === 'data') return factWords.packets([x]);
  if (gap === 'stuckFor') return factWords.seconds(x);
  return factWords.packet(x);
}

/** The constant words, JSON-escaped and encoded (one more than gaps), and the facts between them. */
interface Template {
  words: Encoded[];
  gaps: Gap[];
}

/** Text as it reads inside a JSON string (cut where the text is cut: it holds no surrogate pair to split). */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

/** How the words are encoded: inside a JSON string (escaped, with its quotes), or as they read. */
type ExplanationForm = 'json' | 'text';

function compile(key: VerdictKey, lang: Lang, closer: Side, lastAckSeen: boolean, unsure: boolean, form: ExplanationForm): Template {
  const at = (gap: Gap): number => SENTINEL + GAPS.indexOf(gap);
  const facts: ExplainFacts = {
    closer, other: closer === 'client' ? 'server' : 'client', port: at('port'), bytes: at('bytes'), fin: at('fin'), finAck: at('finAck'),
    peerFin: at('peerFin'), peerFinAck: at('peerFinAck'), rst: at('rst'), data: [at('data')], stuckFor: at('stuckFor'), lastAckSeen,
  };
  const text = explanationText(key, facts, lang, unsure);
  const words: string[] = [];
  const gaps: Gap[] = [];
  for (let from = 0; ;) {
    let next = -1;
    let nextGap: Gap = 'port';
    for (const gap of GAPS) {
      const found = text.indexOf(wording(gap, at(gap)), from);
      if (found >= 0 && (next < 0 || found < next)) [next, nextGap] = [found, gap];
    }
    words.push(text.slice(from, next < 0 ? text.length : next));
    if (next < 0) break;
    gaps.push(nextGap);
    from = next + wording(nextGap, at(nextGap)).length;
  }
  // A fact worded some other way (a new helper, a padded number) would be left in the words as a sentinel.
  if (words.some((w) => w.includes(SENTINEL_DIGITS))) throw new Error(`explanation ${key}: a fact is worded in a way explanation-bytes.ts does not know`);
  if (form === 'text') return { words: words.map(Encoded.utf8), gaps };
  const escaped = words.map(jsonEscaped);
  escaped[0] = `"${escaped[0]}`;
  escaped[escaped.length - 1] += '"';
  return { words: escaped.map(Encoded.utf8), gaps };
}

/** A number as a template literal writes it. */
function decimal(out: ByteLines, x: number): void {
  if (Number.isSafeInteger(x) && x >= 0) out.digits(x);
  else out.ascii(`${x}`);
}

/** `#123`, or `#?` when the packet is not known (factWords.packet). */
function packet(out: ByteLines, no: number | undefined): void {
  out.byte(0x23);
  if (no === undefined) out.byte(0x3f);
  else decimal(out, no);
}

function fact(out: ByteLines, gap: Gap, f: ExplainFacts): void {
  switch (gap) {
    case 'port': return decimal(out, f.port);
    case 'bytes': return decimal(out, f.bytes);
    case 'data':
      // factWords.packets: `#1, #2`
      for (let i = 0; i < f.data.length; i++) {
        if (i > 0) out.ascii(', ');
        packet(out, f.data[i]);
      }
      return;
    // Only stuck verdicts have it, and toFixed's rounding is not worth copying: the catalogue's own string.
    case 'stuckFor': return out.ascii(factWords.seconds(f.stuckFor));
    case 'fin': return packet(out, f.fin);
    case 'finAck': return packet(out, f.finAck);
    case 'peerFin': return packet(out, f.peerFin);
    case 'peerFinAck': return packet(out, f.peerFinAck);
    case 'rst': return packet(out, f.rst);
  }
}

/** Compiled templates, by the number templateNo gives their inputs. */
const templates: Array<Template | undefined> = [];

function templateNo(keyNo: number, lang: Lang, closer: Side, lastAckSeen: boolean, unsure: boolean, form: ExplanationForm): number {
  return ((((keyNo * 2 + (lang === 'zh' ? 1 : 0)) * 2 + (closer === 'server' ? 1 : 0)) * 2 + (lastAckSeen ? 1 : 0)) * 2 + (unsure ? 1 : 0)) * 2 + (form === 'text' ? 1 : 0);
}

/** The explanation of the verdict `keyNo` (VERDICT_KEYS) for these facts, as a JSON string or plain text. */
export function writeExplanation(out: ByteLines, keyNo: number, f: ExplainFacts, lang: Lang, unsure: boolean, form: ExplanationForm = 'json'): void {
  const no = templateNo(keyNo, lang, f.closer, f.lastAckSeen, unsure, form);
  const t = (templates[no] ??= compile(VERDICT_KEYS[keyNo] as VerdictKey, lang, f.closer, f.lastAckSeen, unsure, form));
  out.encoded(t.words[0] as Encoded);
  for (let i = 0; i < t.gaps.length; i++) {
    fact(out, t.gaps[i] as Gap, f);
    out.encoded(t.words[i + 1] as Encoded);
  }
}

/** One facts object for the connections written one after another. */
const shared = newFacts();

/** The bytes of `JSON.stringify(explain(c, v, lang))`, with no string made on the way (but a stuck close's duration). */
export function writeExplanationJson(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang): void {
  writeExplanation(out, v.keyNo, explainFacts(c, v, shared), lang, stuckUnsure(v));
}

/** The bytes of `explain(c, v, lang)`, as the text report shows it. */
export function writeExplanationText(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang): void {
  writeExplanation(out, v.keyNo, explainFacts(c, v, shared), lang, stuckUnsure(v), 'text');
}

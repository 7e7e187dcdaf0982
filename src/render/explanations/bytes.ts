/**
 * The byte sink: a verdict's explanation written into a ByteLines buffer, as plain UTF-8 (the text
 * report) or as a JSON string (the ndjson report), with no string made on the way but a stuck
 * close's duration. A template's literals are encoded once, in each form; each connection's facts
 * are written between them. Building the string (string.ts) and having JSON.stringify escape it and
 * Buffer.write encode it cost about 350 ms of a 1.1 s ndjson report of the 2 M-packet benchmark;
 * this, about 100 ms.
 */
import type { Lang } from '../notes.js';
import type { ExplainFacts } from '../../analysis/explain-facts.js';
import type { ByteLines } from '../byte-lines.js';
import { Encoded } from '../byte-lines.js';
import { explanationTemplate, templateNo } from './catalogue.js';
import type { FactSlot } from './parts.js';
import { countOf, packetOf } from './parts.js';
import { secondsText } from './string.js';

/** How the literals are encoded: inside a JSON string (escaped, with its quotes), or as they read. */
export type ExplanationForm = 'json' | 'text';

/** A template's literals, encoded (one more than its slots), and its slots. */
interface EncodedTemplate {
  literals: Encoded[];
  slots: readonly FactSlot[];
}

/** Text as it reads inside a JSON string (a literal holds whole characters: no surrogate pair is split). */
const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

function encode(keyNo: number, lang: Lang, f: ExplainFacts, unsure: boolean, form: ExplanationForm): EncodedTemplate {
  const { literals, slots } = explanationTemplate(keyNo, lang, f.closer, f.lastAckSeen, unsure);
  if (form === 'text') return { literals: literals.map(Encoded.utf8), slots };
  const escaped = literals.map(jsonEscaped);
  escaped[0] = `"${escaped[0] as string}`;
  escaped[escaped.length - 1] += '"';
  return { literals: escaped.map(Encoded.utf8), slots };
}

/** A number as a template literal writes it. */
function decimal(out: ByteLines, x: number): void {
  if (Number.isSafeInteger(x) && x >= 0) out.digits(x);
  else out.ascii(`${x}`);
}

/** `#123`, or `#?` when the packet is not known. */
function packet(out: ByteLines, no: number | undefined): void {
  out.byte(0x23);
  if (no === undefined) out.byte(0x3f);
  else decimal(out, no);
}

/** A fact as string.ts words it (all ASCII: the same bytes in both forms). */
function fact(out: ByteLines, slot: FactSlot, f: ExplainFacts): void {
  switch (slot.wording) {
    case 'packet': return packet(out, packetOf(f, slot.fact));
    case 'count': return decimal(out, countOf(f, slot.fact));
    case 'packets': {
      const nos = f.data;
      for (let i = 0; i < nos.length; i++) {
        if (i > 0) out.ascii(', ');
        packet(out, nos[i]);
      }
      return;
    }
    // Only stuck verdicts have it, and toFixed's rounding is not worth copying: the string sink's own string.
    case 'seconds': return out.ascii(secondsText(f.stuckFor));
  }
}

/** Encoded templates, by templateNo * 2 + (text form ? 1 : 0). */
const encoded: Array<EncodedTemplate | undefined> = [];

/** The explanation of verdict `keyNo` (VERDICT_KEYS) for these facts, as a JSON string or plain text. */
export function writeExplanation(out: ByteLines, keyNo: number, f: ExplainFacts, lang: Lang, unsure: boolean, form: ExplanationForm = 'json'): void {
  const no = templateNo(keyNo, lang, f.closer, f.lastAckSeen, unsure) * 2 + (form === 'text' ? 1 : 0);
  const { literals, slots } = (encoded[no] ??= encode(keyNo, lang, f, unsure, form));
  out.encoded(literals[0] as Encoded);
  for (let i = 0; i < slots.length; i++) {
    fact(out, slots[i] as FactSlot, f);
    out.encoded(literals[i + 1] as Encoded);
  }
}

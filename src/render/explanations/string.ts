/**
 * The string sink: a verdict's explanation as a string (the json format, the text report with
 * rows, the HTML report, check's mismatches), from a report's ExplanationRef.
 */
import type { Lang } from '../notes.js';
import type { ExplainFacts } from '../../analysis/explain-facts.js';
import type { ExplanationRef } from '../../analysis/report.js';
import { explanationTemplate } from './catalogue.js';
import type { FactSlot } from './parts.js';
import { countOf, packetOf } from './parts.js';

const packet = (no: number | undefined): string => (no === undefined ? '#?' : `#${no}`);

/** A duration as the texts word it (bytes.ts writes the same string). */
export const secondsText = (s: number): string => `${s.toFixed(s < 10 ? 3 : 1)} s`;

/** How a fact reads in a text. */
function factText(slot: FactSlot, f: ExplainFacts): string {
  switch (slot.wording) {
    case 'packet': return packet(packetOf(f, slot.fact));
    case 'count': return `${countOf(f, slot.fact)}`;
    case 'packets': return f.data.map(packet).join(', ');
    case 'seconds': return secondsText(f.stuckFor);
  }
}

/** The catalogue's text of verdict `keyNo` (VERDICT_KEYS) for these facts, with the UNSURE sentence when `unsure`. */
export function explanationText(keyNo: number, f: ExplainFacts, lang: Lang, unsure: boolean): string {
  const { literals, slots } = explanationTemplate(keyNo, lang, f.closer, f.lastAckSeen, unsure);
  let text = literals[0] as string;
  for (let i = 0; i < slots.length; i++) text += factText(slots[i] as FactSlot, f) + (literals[i + 1] as string);
  return text;
}

/** The explanation of a report's verdict, in `lang`. */
export function explanationOf(e: ExplanationRef, lang: Lang): string {
  return explanationText(e.keyNo, e.facts, lang, e.unsure);
}

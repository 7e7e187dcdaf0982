// @ts-check
/**
 * A connection's text block written out again from its FlowReport with strings and the string
 * sink, in the report's language: the oracle the byte writer (text-columns.ts, writeFlowBlock and
 * writeVerdictLines) is checked against. One oracle for both sources of its helpers: the unit tests
 * bind it to src/ (test/unit/text-oracle.ts), the fuzzer to the built dist/ (run.mjs, textRenderers),
 * so the two cannot drift apart (as an English-only copy in the fuzzer once did).
 */

/**
 * @param {import('./text-oracle.d.mts').OracleHelpers} h
 * @returns {import('./text-oracle.d.mts').TextOracle}
 */
export function textOracle(h) {
  /** The verdict line, explanation, evidence and causes. @type {import('./text-oracle.d.mts').TextOracle['verdictLines']} */
  const verdictLines = (f, lang) => {
    const t = f.teardown;
    const w = h.LABELS[lang];
    let line = `${w.verdict}${h.verdictTitle(t.class, t.detail, lang)}${w.closer}${h.sideName(t.closer, lang)}${w.resetBy}${h.sideName(t.resetBy, lang)}`;
    if (t.trailingBytes) line += `${w.trailingBytes}${t.trailingBytes}${w.bytesUnit}`;
    if (t.stuckFor !== null) line += `${w.stuckFor}${w.seconds(t.stuckFor.toFixed(3))}`;
    line += `${w.finalStates}${f.finalState.client} / ${f.finalState.server}`;
    return [
      line, `  ${h.explanationOf(t.explain, lang)}`, `  ${w.evidence}${t.evidence.map((n) => `#${n}`).join(' ') || '-'}`,
      ...t.causes.map((c) => `  ${h.causeLine(c, t, lang)}`),
    ];
  };
  /** The heading, the packet table when the report kept rows, the verdict lines. @type {import('./text-oracle.d.mts').TextOracle['flowText']} */
  const flowText = (f, o) => {
    const w = h.LABELS[o.lang];
    const heading = `${w.connection}${f.id}${w.colon}${h.endpointText(f.client)} → ${h.endpointText(f.server)}${w.clientToServer}${f.firstPacket}–#${f.lastPacket}${w.handshake(h.handshakeName(f.handshake, o.lang))}${f.via ? `${w.comma}${h.viaText(f.via, o.lang)}` : ''}`;
    const lines = [h.bold(heading, o.color)];
    if (f.rows) lines.push(...h.packetLines(f, o));
    lines.push(...verdictLines(f, o.lang));
    return lines.join('\n') + '\n';
  };
  return { verdictLines, flowText };
}

import { bold } from '../../src/render/color.js';
import { endpointText, packetLines } from '../../src/render/text.js';
import { explanationOf } from '../../src/render/explanations/string.js';
import { causeLine } from '../../src/render/causes.js';
import { LABELS } from '../../src/render/labels.js';
import { handshakeName, sideName, verdictTitle } from '../../src/render/names.js';
import { viaText } from '../../src/render/via.js';
// The oracle the fuzzer runs against dist/ (scripts/fuzz/text-oracle.mjs), bound here to src/.
import { textOracle } from '../../scripts/fuzz/text-oracle.mjs';

/**
 * verdictLines: the verdict line, explanation and evidence written out again from the report with
 * strings and the string sink, an oracle for the byte writer's (text-columns.ts, writeVerdictLines),
 * which every text block and the HTML report's cards print. flowText: a connection's text block as
 * the report prints it (heading, packet table, the verdict lines), the oracle writeFlowBlock is
 * checked against, in these tests and the fuzzer.
 */
export const { verdictLines, flowText } = textOracle({
  bold, endpointText, packetLines, explanationOf, causeLine, LABELS, handshakeName, sideName, verdictTitle, viaText,
});

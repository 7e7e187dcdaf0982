import type { FlowReport } from '../../src/analysis/report.js';
import type { Lang } from '../../src/render/notes.js';
import type { TextOptions, endpointText, packetLines } from '../../src/render/text.js';
import type { bold } from '../../src/render/color.js';
import type { explanationOf } from '../../src/render/explanations/string.js';
import type { causeLine } from '../../src/render/causes.js';
import type { LABELS } from '../../src/render/labels.js';
import type { handshakeName, sideName, verdictTitle } from '../../src/render/names.js';
import type { viaText } from '../../src/render/via.js';
/** The string helpers the oracle is built from, as src/ or dist/ exports them. */
export interface OracleHelpers {
  bold: typeof bold; endpointText: typeof endpointText; packetLines: typeof packetLines;
  explanationOf: typeof explanationOf; causeLine: typeof causeLine; LABELS: typeof LABELS;
  handshakeName: typeof handshakeName; sideName: typeof sideName; verdictTitle: typeof verdictTitle; viaText: typeof viaText;
}
export interface TextOracle {
  verdictLines(f: FlowReport, lang: Lang): string[];
  flowText(f: FlowReport, o: TextOptions): string;
}
export declare function textOracle(h: OracleHelpers): TextOracle;

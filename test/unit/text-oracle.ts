import type { FlowReport } from '../../src/analysis/report.js';
import { bold } from '../../src/render/color.js';
import type { TextOptions } from '../../src/render/text.js';
import { endpointText, packetLines, verdictLines } from '../../src/render/text.js';

/**
 * A connection's text block as the report prints it, built from its FlowReport by the string
 * helpers (heading, packet table, verdictLines): the oracle the byte writer (text-columns.ts,
 * writeFlowBlock) is checked against, in these tests and the fuzzer.
 */
export function flowText(f: FlowReport, o: TextOptions): string {
  const heading = `Connection ${f.id}: ${endpointText(f.client)} → ${endpointText(f.server)} (client → server), packets #${f.firstPacket}–#${f.lastPacket}, handshake ${f.handshake}`;
  const lines = [bold(heading, o.color)];
  if (f.rows) lines.push(...packetLines(f, o));
  lines.push(...verdictLines(f, o.lang));
  return lines.join('\n') + '\n';
}

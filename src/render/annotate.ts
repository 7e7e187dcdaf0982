/**
 * The words `teardown annotate` writes into a capture as comments (docs/annotate.md), each taken
 * from a writer the text report already has, so that Wireshark shows what `teardown analyze`
 * prints: a packet's comment is its row's Client, Server and Note cells; the packet that decides a
 * connection's verdict also carries the connection's text block (writeFlowBlock: heading, verdict,
 * explanation, evidence, causes); the section's comment is the Summary line (summaryLine).
 */
import type { NoteRef } from '../flow/notes.js';
import { LABELS } from './labels.js';
import type { TcpState } from '../tcp/states.js';
import type { ConnectionView } from '../flow/view.js';
import type { Verdict } from '../analysis/teardown.js';
import type { Report } from '../analysis/report.js';
import type { ByteLines } from './byte-lines.js';
import type { Lang } from './notes.js';
import { notesText } from './notes.js';
import { summaryLine } from './text.js';
import { writeFlowBlock } from './text-columns.js';

/**
 * A packet's comment: its row's Client, Server and Note cells (the packet table's columns), as
 * `Client: <state>, Server: <state>`, then `. Note: <notes>` when it has notes (labels.ts: in zh,
 * `客户端：<state>，服务器：<state>。说明：<notes>`).
 */
export function rowComment(client: TcpState, server: TcpState, notes: readonly NoteRef[], lang: Lang): string {
  return LABELS[lang].rowComment(client, server, notes.length === 0 ? '' : notesText(notes, lang));
}

/**
 * The packet that decides connection `c`'s verdict: the last packet the verdict cites as evidence
 * (by then everything it rests on has been seen), else, when it cites none (an open connection),
 * the connection's last packet.
 */
export function decidingPacket(c: ConnectionView, v: Verdict): number {
  const evidence = v.evidence;
  return evidence.length > 0 ? (evidence[evidence.length - 1] as number) : c.lastPacket;
}

/** The verdict's comment: the connection's text block as analyze prints it, without colour or the newline after it. */
export function writeVerdictComment(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang): void {
  writeFlowBlock(out, c, v, lang, false, false);
  out.setLength(out.length - 1);
}

/** The capture's comment: the Summary line and what was not analysed, as analyze prints them. */
export function summaryComment(report: Report): string {
  return summaryLine(report).trimEnd();
}

/**
 * The library API ("." of the package's exports map): read, decode and analyse captures; no I/O
 * side effects beyond what you call. Every type the exported functions and classes name is
 * exported here too, so a program can name what it holds; the renderers also have their own entry
 * points (`tcp-teardown/render/json`, `/render/ladder`, `/render/html`).
 */
export type { CaptureRecord, CaptureInfo, CaptureDamage } from './capture/record.js';
export { UnreadableCaptureError } from './capture/record.js';
export { CaptureParser, readCaptureFile, readCaptureStream } from './capture/read.js';
export type { OnRecord, ReadResult } from './capture/read.js';
export { decode } from './decode/decode.js';
export type { TcpSegment, TcpOption, DecodeResult, SkipReason, Via, TunnelType } from './decode/segment.js';
export { Analyzer } from './analysis/analyze.js';
export type { AnalyzeOptions } from './analysis/analyze.js';
export type { Verdict } from './analysis/teardown.js';
export type { ExplainFacts } from './analysis/explain-facts.js';
export type { Report, FlowReport, TeardownReport, ExplanationRef, CaptureSummary } from './analysis/report.js';
export type { TeardownClass, TeardownDetail, Who } from './analysis/verdict-keys.js';
export { TEARDOWN_CLASSES } from './analysis/verdict-keys.js';
export { CAUSE_IDS } from './analysis/causes.js';
export type { Cause, CauseId } from './analysis/causes.js';
export { causeDefinition, causeExplanation } from './render/causes.js';
export { TCP_STATES } from './tcp/states.js';
export type { TcpState, Side } from './tcp/states.js';
export { reportJson, flowJson } from './render/json.js';
export type { FlowJson, TeardownJson, PacketJson, CauseJson } from './render/json.js';
export { explanationOf } from './render/explanations/string.js';
export type { Lang, NoteTone } from './render/notes.js';
export type { TextOptions, RowsOf } from './render/text.js';
export type { TimeMode } from './render/time.js';
export type { HtmlOptions } from './render/html.js';
export type { PacketRow, Instant, Endpoint, WireFacts, AddressId } from './flow/connection.js';
export type { NoteRef, NoteId, NoteParams } from './flow/notes.js';
/** Borrowed cursors over the connection store, as `onFlow`, `onEnded` and `onRow` are given them (valid during the call). */
export type { ConnectionView, SideView, SideNo } from './flow/view.js';

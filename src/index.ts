/** The library API: read, decode and analyse captures; no I/O side effects beyond what you call. */
export type { CaptureRecord, CaptureInfo, CaptureDamage } from './capture/record.js';
export { UnreadableCaptureError } from './capture/record.js';
export { CaptureParser, readCaptureFile, readCaptureStream } from './capture/read.js';
export { decode } from './decode/decode.js';
export type { TcpSegment, TcpOption, DecodeResult } from './decode/segment.js';
export { Analyzer } from './analysis/analyze.js';
export type { AnalyzeOptions } from './analysis/analyze.js';
export type { Report, FlowReport, TeardownReport, ExplanationRef, CaptureSummary } from './analysis/report.js';
export type { TeardownClass, TeardownDetail } from './analysis/verdict-keys.js';
export { TCP_STATES } from './tcp/states.js';
export type { TcpState } from './tcp/states.js';
export { reportJson, flowJson } from './render/json.js';
export { explanationOf } from './render/explanations/string.js';
export type { Lang } from './render/notes.js';
export type { PacketRow, Instant, Endpoint } from './flow/connection.js';

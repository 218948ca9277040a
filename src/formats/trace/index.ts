export { decodeTrace, DEFAULT_CHUNK_SIZE, type DecodeOptions, type TraceDecodeResult, type TraceVisitor } from './decode.js';
export type { TraceEvent } from '../../model/trace.js';
export type { GenerationTables } from './generation.js';
export { checkHeader, sniffTrace, traceMinor } from './header.js';
export { bytesSource, fileSource, type ByteSource } from './source.js';
export { Ev, eventName, GoState, typeTable } from './spec.js';
export { NONE } from './varint.js';

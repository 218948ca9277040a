export { admitHeapDump, decodeHeapDump, sniffHeapDump, HEADER, type HeapDumpDecodeOptions } from './decode.js';

/**
 * go-footprint: where the memory of a Go program goes, as a library.
 *
 * The pipeline the CLI runs, step by step: decode an artefact (formats),
 * get a model (Profile, GcTrace, GoroutineDump, EscapeReport, trace
 * events), run a pprof-compatible report or an analysis, and present the
 * result. Every analysis returns plain data — findings in one shape, every
 * quantity a number with a unit — which is exactly what `footprint CMD --json`
 * prints. Decoders throw FormatError (this format, but malformed); every error
 * footprint means for a user extends FootprintError and carries an exit code.
 *
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { decodeProfile, analyzeHeap, topReport, Report } from 'go-footprint';
 *
 * const profile = decodeProfile(readFileSync('heap.pb.gz'), 'heap.pb.gz');
 * const top = topReport(new Report(profile, 'top', { sampleIndex: 'alloc_space' }));
 * const heap = analyzeHeap({ snapshots: [{ profile, source: 'heap.pb.gz', atMs: null }] });
 * console.log(top.rows[0], heap.findings[0]);
 * ```
 */

// Errors and exit codes.
export { EXIT, FootprintError, IncompatibleProfilesError, WrongInputError, type ExitCode } from './model/errors.js';
export { FormatError } from './formats/errors.js';
export { ReportError } from './report/errors.js';

// Decoders: bytes (gzipped or not) → model.
export { decodeProfile, PROFILE_FORMATS, type ProfileFormat } from './formats/index.js';
export { decodeGcTrace, sniffGcTrace, splitGcProcesses } from './formats/gctrace/index.js';
export { decodeGoroutineDump, decodeGoroutineDumps, decodeGoroutineInput, decodeGoroutineInputs, sniffGoroutineDump } from './formats/goroutines/index.js';
export { decodeEscapeJsonFiles, decodeEscapes } from './formats/escape/index.js';
export { decodeExpvarMemStats, sniffExpvar } from './formats/expvar/index.js';
export { bytesSource, decodeTrace, fileSource, sniffTrace, type ByteSource, type TraceDecodeResult, type TraceVisitor } from './formats/trace/index.js';
export { encodeProfileProto } from './formats/pprof/encode.js';
export { decodeSourceMap, sniffSourceMap } from './formats/sourcemap/decode.js';
export { readBinaryImage, readBinaryImageFile } from './formats/gobinary/image.js';
export { bytesAccess, fileAccess, type RandomAccess } from './formats/random-access.js';
export { decodeHeapDump, sniffHeapDump, type HeapDumpDecodeOptions } from './formats/heapdump/index.js';
export { readElfSymbols, sniffElf } from './formats/gobinary/index.js';

// The model.
export { lineFunctionName, sampleValue, type MemStats, type Profile, type ValueType } from './model/profile.js';
export type { GcCycle, GcProcess, GcTrace } from './model/gctrace.js';
export type { GoFrame, GoroutineDump, GoroutineInput, GoroutineProfile, GoroutineStack } from './model/goroutines.js';
export type { EscapeDecision, EscapeReport, EscapeSite, SourcePos } from './model/escapes.js';
export { Ev, type TraceEvent } from './model/trace.js';
export type { Bundle, SourceMap } from './model/bundle.js';
export type { BinaryImage, BuildInfo, ModuleVersion } from './model/binary.js';
export type { HeapDump } from './model/heapdump.js';
export type { SymbolTable } from './model/symbols.js';
export { formatBytes, formatCount, formatDuration, formatFraction, formatQuantity, type Quantity, type Unit } from './model/units.js';

// pprof-compatible reports: the same rows and numbers as go tool pprof.
export { Report, sampleIndexByName } from './report/report.js';
export type { ReportCommand, ReportOptions } from './report/options.js';
export { formatTop, topReport, type TopResult, type TopRow } from './report/top.js';
export { peekReport, type PeekEdge, type PeekEntry } from './report/peek.js';
export { tracesReport, type Trace } from './report/traces.js';
export { collapsedText, filteredProfile, foldStacks, speedscopeFile, type FoldedStacks, type SpeedscopeFile } from './report/export.js';
export { combineSources, type BaseMode, type CombineOptions } from './report/sources.js';
export { flameTree, type FlameTree } from './report/flame.js';

// Analyses: model → data + findings.
export { sortFindings, type Evidence, type Finding, type FindingKind, type Severity } from './analyze/finding.js';
export { analyzeHeap, compareHeapRuns, heapHeadlines } from './analyze/heap/index.js';
export type * as heap from './analyze/heap/types.js';
export { analyzeGcProcess, analyzeGcProcesses, analyzeGcTrace, compareGcRuns, gcHeadlines } from './analyze/gc/index.js';
export type * as gc from './analyze/gc/types.js';
export { analyzeTrace } from './analyze/trace/index.js';
export type * as trace from './analyze/trace/types.js';
export { analyzeGoroutines, compareGoroutineRuns, compareGoroutines, goroutineDumpsReport, goroutineHeadlines, goroutinesReport } from './analyze/goroutines/index.js';
export type * as goroutines from './analyze/goroutines/types.js';
export { analyzeContention, compareContentionRuns, contentionHeadlines } from './analyze/contention/index.js';
export type * as contention from './analyze/contention/types.js';
// JS bundles: bytes per original file and npm package from the source map, compressed sizes, findings, budgets.
export { analyzeBundles, attributeBundle, bundleHeadlines, checkBudgets, compareBundles, parseBudgets, type AnalyzeOptions as BundleAnalyzeOptions, type BundleComparison, type Budgets, type BudgetResult } from './analyze/bundle/index.js';
export type * as bundle from './analyze/bundle/types.js';
export { analyzeBinary, diffBinaries } from './analyze/binary/index.js';
export type * as binary from './analyze/binary/types.js';
export { analyzeHeapDump, type HeapDumpOptions } from './analyze/heapdump/index.js';
export type * as heapdump from './analyze/heapdump/types.js';

// Before and after: any two readings compared finding by finding, with each domain's headline figures.
// compareFindings(before, after) matches two lists of findings (by kind and function) and says what
// became of each: new, gone, worse, better, grew, shrank or the same. compareReadings adds headline
// figures; compareAnalyses does both for two analyses given a domain's headline extractor
// (heapHeadlines, gcHeadlines, goroutineHeadlines, contentionHeadlines, or your own);
// regressions(changes) is what a CI gate fails on (new, and worse). compare*Runs are the domains' own.
export {
  compareAnalyses,
  compareFindings,
  compareHeadlines,
  compareReadings,
  regressions,
  SIZE_CHANGE,
  type Comparison,
  type FindingChange,
  type FindingChangeKind,
  type Headline,
  type HeadlineChange,
  type Named,
  type Reading,
} from './analyze/compare.js';
export { allocIndexes, analyzeEscapes } from './analyze/escapes/index.js';
export { compareDiagnoses, diagnose, doctorHeadlines, explainRss } from './analyze/doctor/index.js';
export type * as doctor from './analyze/doctor/types.js';

// Live services: capture a running service into a folder, and read a capture back.
export { capture, capturePlan, checkPprofServer, targetUrl, type CaptureOptions, type CaptureProgress } from './collect/capture.js';
export { loadCapture } from './collect/load.js';
export { readManifest, type ArtefactKind, type Manifest, type ManifestEntry } from './collect/manifest.js';
// Stores: watch services into SQLite or PostgreSQL, read snapshots back, analyse the history.
export { DEFAULT_STORE, parseDest, parseStoreRef, Store, StoreError, type SnapshotFilter, type SnapshotInfo, type SnapshotInput, type StoreDest, type StoreRef } from './collect/store/index.js';
export { watch, type RoundReport, type WatchOptions } from './collect/watch.js';
export { analyzeHistory } from './analyze/history/index.js';
export type * as history from './analyze/history/types.js';
export type * as escapes from './analyze/escapes/types.js';

// The local web UI (footprint ui): sort inputs into views, then serve the app and its data API on 127.0.0.1.
export { datasetsFromCapture, datasetsFromFiles, type Datasets, type NamedBytes } from './server/datasets.js';
export { startUiServer, type UiServer, type UiServerOptions } from './server/server.js';

// Presentation: the CLI's text and pages, for callers who want the same output.
export { PLAIN, styleFor, type Style } from './present/style.js';
export { formatEvidence, renderFindings } from './present/findings.js';
export { toJson } from './present/json.js';
export { heapText } from './present/text/heap.js';
export { gcProcessesText, gcText } from './present/text/gc.js';
export { traceText } from './present/text/trace.js';
export { goroutineDumpsText, goroutinesText } from './present/text/goroutines.js';
export { contentionText } from './present/text/contention.js';
export { escapesText } from './present/text/escapes.js';
export { binaryDiffText, binaryText } from './present/text/binary.js';
export { renderBinaryPage } from './present/html/binary-page.js';
export { comparisonText } from './present/text/compare.js';
export { renderComparisonPage } from './present/html/compare-page.js';
export { renderGcPage, renderGcProcessesPage } from './present/html/gc-page.js';
export { renderGoroutineDumpsPage, renderGoroutinesPage } from './present/html/goroutines-page.js';
export { renderTracePage } from './present/html/trace-page.js';
export { doctorText } from './present/text/doctor.js';
export { renderDoctorPage } from './present/html/doctor-page.js';

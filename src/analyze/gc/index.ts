import type { GcCycle, GcProcess, GcTrace } from '../../model/gctrace.js';
import { splitGcProcesses } from '../../formats/gctrace/processes.js';
import { WrongInputError } from '../../model/errors.js';
import { gcFindings } from './findings.js';
import { inferSettings } from './settings.js';
import { summarize } from './summary.js';
import { calibrate, predict } from './predict.js';
import { simulate } from './whatif.js';
import { reconstructWorkload } from './workload.js';
import type { GcAnalysis, GcAnalysisOptions, GcProcessAnalysis, GcProcessesReport, GcCycleJson, GcSummary, SimulatedCycle, WhatIfResult, WhatIfRow, WhatIfSetting } from './types.js';

export type * from './types.js';
export { compareGcRuns, gcHeadlines } from './compare.js';

const MiB = 2 ** 20;

/**
 * Analyses the GCs of one process. A log of several processes (cycle numbers
 * that restart) is refused: its figures would mix them; analyzeGcProcesses
 * (or splitGcProcesses) reads such a log process by process.
 */
export function analyzeGcTrace(trace: GcTrace, options: GcAnalysisOptions = {}): GcAnalysis {
  const processes = splitGcProcesses(trace);
  if (processes.length > 1) throw severalProcesses(processes);
  return analyzeProcess(trace, options);
}

/** Each process of a log that may hold several, analysed on its own (see splitGcProcesses). */
export function analyzeGcProcesses(trace: GcTrace, options: GcAnalysisOptions = {}): GcProcessesReport {
  return {
    processes: splitGcProcesses(trace).map((p) => analyzeGcProcess(p, options)),
    log: { rejoinedLines: trace.rejoined, otherLines: trace.otherLines, unparsedLines: trace.unparsedCount },
  };
}

/** One process of a split log (splitGcProcesses), analysed and named. */
export function analyzeGcProcess(p: GcProcess, options: GcAnalysisOptions = {}): GcProcessAnalysis {
  const process = { index: p.index, lines: p.lines, ...(p.label !== undefined ? { label: p.label } : {}) };
  return { ...analyzeProcess(p.trace, options), process };
}

export function severalProcesses(processes: readonly GcProcess[]): WrongInputError {
  const starts = processes.map((p) => `line ${p.lines.first}`).join(', ');
  return new WrongInputError(
    `the log holds the GCs of ${processes.length} processes (cycle numbers restart at ${starts}); ` +
      'their figures cannot be read as one: analyse them one by one (footprint gc reports each, --process N picks one)',
  );
}

function analyzeProcess(trace: GcTrace, options: GcAnalysisOptions): GcAnalysis {
  const settings = inferSettings(trace.cycles);
  const summary = summarize(trace, settings);
  const workload = reconstructWorkload(trace.cycles);
  const baselineSetting = resolveBaseline(options.baseline, summary);
  const observed: WhatIfResult = {
    cycles: summary.cycles,
    peakHeapBytes: summary.peakHeapMB * MiB,
    gcCpuFraction: summary.gcCpuFraction,
    meanIntervalMs: summary.gcPerSecond ? 1000 / summary.gcPerSecond : null,
    limitBoundCycles: summary.limitBoundCycles,
  };
  const uncalibrated = simulate(workload, baselineSetting).cycles;
  const calibrated = calibrate(workload, baselineSetting, summary.cycles);
  const replay = (s: WhatIfSetting, series?: SimulatedCycle[]) => predict(workload, s, calibrated, series && ((c) => series.push(c)));
  const model = replay(baselineSetting);
  const whatIfSeries: SimulatedCycle[][] = [];
  const whatIf = (options.whatIfs ?? []).map((partial) => {
    const setting: WhatIfSetting = {
      gogc: partial.gogc !== undefined ? partial.gogc : baselineSetting.gogc,
      gomemlimit: partial.gomemlimit ?? null,
    };
    const series: SimulatedCycle[] = [];
    whatIfSeries.push(series);
    return row(setting, replay(setting, series));
  });
  const doubled = doubledGogc(baselineSetting, replay, model);
  return {
    cycles: trace.cycles.map(toJson),
    summary,
    findings: gcFindings(summary, { doubledGogc: doubled }),
    baseline: {
      setting: row(baselineSetting, observed),
      observed,
      model,
      calibration: { markAllocationScale: calibrated.options.markScale, uncalibratedCycles: uncalibrated, nonHeapMB: calibrated.options.nonHeapMB },
    },
    whatIf,
    whatIfSeries,
  };
}

function resolveBaseline(given: Partial<WhatIfSetting> | undefined, s: GcSummary): WhatIfSetting {
  const inferredGogc = s.inferredGogc ?? (s.limitBoundCycles > 0 ? null : 100);
  return {
    gogc: given?.gogc !== undefined ? given.gogc : inferredGogc,
    gomemlimit: given?.gomemlimit !== undefined ? given.gomemlimit : s.inferredMemoryLimitBytes,
  };
}

function doubledGogc(
  base: WhatIfSetting,
  replay: (s: WhatIfSetting) => WhatIfResult,
  model: WhatIfResult,
): { gogc: number; gomemlimit: number | null; result: WhatIfResult; baseline: WhatIfResult } | undefined {
  if (base.gogc === null) return undefined;
  const gogc = base.gogc * 2;
  return { gogc, gomemlimit: base.gomemlimit, result: replay({ gogc, gomemlimit: base.gomemlimit }), baseline: model };
}

function row(setting: WhatIfSetting, result: WhatIfResult): WhatIfRow {
  return { gogc: setting.gogc ?? 'off', gomemlimit: setting.gomemlimit, ...result };
}

function toJson(c: GcCycle): GcCycleJson {
  const { line: _line, ...rest } = c;
  return rest;
}

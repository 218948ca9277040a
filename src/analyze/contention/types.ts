import type { PeekEdge } from '../../report/peek.js';
import type { TopResult } from '../../report/top.js';
import type { Finding } from '../finding.js';

export type ContentionKind = 'mutex' | 'block';

export interface ReverseChain {
  /** Function names from the site's caller outward. */
  callers: string[];
  /** Where each caller is (the line of its call), parallel to `callers`. */
  positions: { file: string; line: number }[];
  value: number;
  /** Share of the site's total (cum) value, 0..1. */
  share: number;
}

export interface ContentionSite {
  name: string;
  /** Delay (ns) and contentions with the site as the innermost frame (flat) and anywhere in the stack (cum). */
  delay: { flat: number; cum: number; flatShare: number };
  contentions: { flat: number; cum: number };
  /** pprof -peek's caller edges (weights in delay ns, percent of the site's cum). */
  callers: PeekEdge[];
  chains: ReverseChain[];
}

export interface ContentionAnalysis {
  kind: ContentionKind;
  totalDelayNanos: number;
  totalContentions: number;
  /** pprof -top by delay and by contentions (its default cut-offs). */
  byDelay: TopResult;
  byCount: TopResult;
  sites: ContentionSite[];
  /**
   * How many times larger go tool pprof's (and footprint top's) figures are
   * for this input: the sampling period for Go 1.17+ mutex text, whose
   * values pprof scales a second time; 1 otherwise.
   */
  pprofFactor: number;
  /** What the values mean given how they were sampled. */
  caveat: string;
  findings: Finding[];
}

export interface ContentionOptions {
  /** Mutex or block, when the caller knows; else from the debug=1 text's header, or inferred from the stacks. */
  kind?: ContentionKind;
  /** How many of the heaviest flat sites get callers and chains. */
  sites?: number;
  /** Names the profile in errors. */
  source?: string;
}

/** What `footprint contention --json` prints: each profile's analysis, under its file name. */
export interface ContentionReport {
  files: (ContentionAnalysis & { file: string })[];
}

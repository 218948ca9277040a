import type { EscapeDecision, EscapeReport, EscapeSite } from '../../model/escapes.js';
import type { Finding } from '../finding.js';

/** One escape site with what the profile puts on its line (allocBytes, allocObjects) when one was joined. */
export interface SiteOutput {
  file: string;
  line: number;
  column: number;
  expr: string;
  decision: EscapeDecision;
  reasons?: string[];
  function?: string;
  allocBytes?: number;
  allocObjects?: number;
}

export interface EscapeAnalysis {
  summary: EscapeSummary;
  /** Ordered by allocBytes (largest first) when a profile was joined, else as the compiler reported them. */
  sites: SiteOutput[];
  findings: Finding[];
  join?: EscapeJoin;
  amplification?: Amplification;
}

export interface Frame {
  function: string;
  file: string;
  line: number;
}

/** Bytes and objects on a set of sites the profile cannot tell apart (same line, same inline chain). */
export interface SiteGroup {
  sites: EscapeSite[];
  bytes: number;
  objects: number;
  /** The profile's frame for the allocating line: the physical function and the profile's own path. */
  frame: Frame;
  /** 'site': the outer line carried the site; 'inline-frame': only an inner (inlined) line did. */
  via: 'site' | 'inline-frame';
}

/** An allocating line of the profile that no escape decision explains. */
export interface UnexplainedLine {
  frame: Frame;
  bytes: number;
  objects: number;
  /** True when the line is in a file the escape output covers. */
  covered: boolean;
  /** The nearest caller in covered code, when the allocation is elsewhere. */
  calledFrom?: Frame;
  /** Sites at this line that are not heap decisions (e.g. `does not escape`), which the note explains. */
  stackSites: EscapeSite[];
}

export interface EscapeJoin {
  totalBytes: number;
  totalObjects: number;
  groups: SiteGroup[];
  unexplained: UnexplainedLine[];
  /** Samples with a reflect frame between the allocation and the first covered frame. */
  reflectBytes: number;
  reflectObjects: number;
}

export interface AllocIndexes {
  space: number;
  objects: number;
}

export interface Amplification {
  interfaceBytes: number;
  reflectBytes: number;
  totalBytes: number;
}

/** Counts of each decision. */
export type DecisionCounts = Record<EscapeDecision, number>;

export interface FunctionSummary {
  function: string;
  counts: DecisionCounts;
}

export interface FileSummary {
  file: string;
  counts: DecisionCounts;
  functions: FunctionSummary[];
}

export interface PackageSummary {
  package: string;
  counts: DecisionCounts;
  files: FileSummary[];
}

export interface CauseCount {
  cause: EscapeCause;
  label: string;
  /** Heap sites (escapes + moved) with this cause. */
  sites: number;
  /** How many of those had their cause inferred from the expression (no -m=2 reasons). */
  inferred: number;
}

export interface EscapeSummary {
  form: EscapeReport['form'];
  goVersion?: string;
  counts: DecisionCounts;
  /** Heap sites that are copies made by inlining. */
  inlinedCopies: number;
  causes: CauseCount[];
  packages: PackageSummary[];
}

/**
 * Why a value ended up on the heap, in the terms a Go programmer fixes it by.
 * With -m=2 / -json the compiler's own reason keywords decide (`too large for
 * stack`, `non-constant size`, `captured by a closure`, `interface-converted`,
 * `return`); with plain -m only the printed expression is left, and the cause
 * is inferred from its shape (and marked so).
 */
export type EscapeCause =
  | 'interface-conversion'
  | 'closure-capture'
  | 'too-large-for-stack'
  | 'non-constant-size'
  | 'append-growth'
  | 'variadic-arguments'
  | 'returned-pointer'
  | 'address-taken'
  | 'stored-beyond-call'
  | 'string-building'
  | 'literal'
  | 'leaking-param'
  | 'stays-on-stack'
  /** A constant stored in an interface: it "escapes", but Go points the interface at read-only data, so nothing is allocated. */
  | 'constant';

export interface CauseInfo {
  cause: EscapeCause;
  /** True when read from the expression rather than from the compiler's reasons. */
  inferred: boolean;
}

import { printable } from '../model/printable.js';
import { exactValue, MAX_EXACT, type Profile } from '../model/profile.js';
import { isDiffBaseSample, numLabelUnits } from '../model/labels.js';
import { ReportError } from './errors.js';
import { filterSamplesByName, pruneDropFrames, showFrom } from './filters.js';
import { Graph, splitExact, type SampleValue } from './graph.js';
import { compileGoRegexp, type GoRegexp } from './goregexp.js';
import { basePath } from './gopath.js';
import { label, percentage, scale, scaledLabel } from './measurement.js';
import { NodeTable } from './nodes.js';
import { resolveOptions, type ReportCommand, type ReportOptions, type ResolvedOptions } from './options.js';
import { compileTagFilter, filterSamplesByTag } from './tagfilters.js';
import { formatProfileTime } from './time.js';
import { WorkProfile } from './work.js';

/** Filter options in the order pprof lists them under "Active filters:". */
const FILTER_FLAGS = [
  ['focus', 'focus'],
  ['ignore', 'ignore'],
  ['hide', 'hide'],
  ['show', 'show'],
  ['showFrom', 'show_from'],
  ['tagFocus', 'tagfocus'],
  ['tagIgnore', 'tagignore'],
] as const;

// ReportError is in its own module so the CLI can recognise it without loading the report code.
export { ReportError };

/**
 * One report run over a profile, following pprof's driver: prune drop_frames,
 * pick the sample type, compute the total (before focusing), apply the name
 * filters, then aggregate rows at the chosen granularity.
 */
export class Report {
  readonly options: ResolvedOptions;
  readonly work: WorkProfile;
  readonly sampleTypeIndex: number;
  /** Shown on the Type: line ("mean_" prefixed under -mean). */
  readonly sampleType: string;
  readonly sampleUnit: string;
  readonly sampleValue: SampleValue;
  /** pprof's report total: Σ|value| before focusing (base samples only under -diff_base), the double nearest the exact sum. */
  readonly total: number;
  readonly nodes: NodeTable;
  /** Warnings pprof would print on stderr (e.g. a filter matched nothing). */
  readonly warnings: string[] = [];
  readonly activeFilters: string[] = [];
  outputUnit: string;

  constructor(
    readonly profile: Profile,
    readonly command: ReportCommand,
    options: ReportOptions = {},
  ) {
    const o = (this.options = resolveOptions(command, options));
    if (o.divideBy === 0) throw new ReportError('zero divisor specified');
    this.work = new WorkProfile(profile);
    pruneDropFrames(this.work, profile.dropFrames, profile.keepFrames);
    if (o.relativePercentages) this.applyFocus();
    this.sampleTypeIndex = sampleIndexByName(profile, o.sampleIndex);
    const t = this.sampleTypeIndex;
    const st = profile.sampleTypes[t]!;
    this.sampleType = (o.mean ? 'mean_' : '') + st.type;
    this.sampleUnit = st.unit;
    const work = this.work;
    this.sampleValue = {
      value: (s) => work.value(s, t),
      meanDivisor: o.mean ? (s) => work.value(s, 0) : undefined,
    };
    for (const [k, flag] of FILTER_FLAGS) {
      const v = o[k];
      if (v) this.activeFilters.push(`${flag}=${v}`);
    }
    this.total = this.computeTotal();
    if (!o.relativePercentages) this.applyFocus();
    this.outputUnit = o.unit;
    this.nodes = new NodeTable(this.work, o.granularity, { noInlines: o.noInlines, showColumns: o.showColumns });
  }

  private applyFocus(): void {
    const o = this.options;
    const re = (name: string, src: string | undefined): GoRegexp | undefined => {
      if (!src) return undefined;
      try {
        return compileGoRegexp(src);
      } catch (err) {
        throw new ReportError(`parsing ${name} regexp: ${(err as Error).message}`);
      }
    };
    const m = filterSamplesByName(this.work, {
      focus: re('focus', o.focus),
      ignore: re('ignore', o.ignore),
      hide: re('hide', o.hide),
      show: re('show', o.show),
    });
    const warn = (set: string | undefined, matched: boolean, what: string) => {
      if (set && !matched) this.warnings.push(`${what} expression matched no samples: ${set}`);
    };
    warn(o.focus, m.focus, 'Focus');
    warn(o.ignore, m.ignore, 'Ignore');
    warn(o.hide, m.hide, 'Hide');
    warn(o.show, m.show, 'Show');
    const sf = re('show_from', o.showFrom);
    if (sf && !showFrom(this.work, sf)) this.warnings.push(`ShowFrom expression matched no samples: ${o.showFrom}`);
    this.applyTagFilters();
  }

  private applyTagFilters(): void {
    const o = this.options;
    if (!o.tagFocus && !o.tagIgnore) return;
    const units = numLabelUnits(this.profile);
    const compile = (name: string, v: string | undefined) => {
      if (!v) return undefined;
      try {
        return compileTagFilter(name, v, units);
      } catch (err) {
        throw new ReportError((err as Error).message);
      }
    };
    const m = filterSamplesByTag(this.work, this.profile, compile('tagfocus', o.tagFocus), compile('tagignore', o.tagIgnore));
    if (o.tagFocus && !m.focus) this.warnings.push(`TagFocus expression matched no samples: ${o.tagFocus}`);
    if (o.tagIgnore && !m.ignore) this.warnings.push(`TagIgnore expression matched no samples: ${o.tagIgnore}`);
  }

  /**
   * The total, summed in doubles while that is exact (Σ|value| ≤ 2^53 − 1:
   * every report of a real program), else again in bigint, with the sample
   * values' limbs set up so the graphs sum exactly too.
   */
  private computeTotal(): number {
    const p = this.profile;
    const baseKey = p.strings.indexOf('pprof::base');
    let total = 0;
    let div = 0;
    let diffTotal = 0;
    let diffDiv = 0;
    const { value, meanDivisor } = this.sampleValue;
    for (const s of this.work.samples) {
      const v = Math.abs(value(s));
      const d = meanDivisor ? meanDivisor(s) : 0;
      total += v;
      div += d;
      if (isDiffBaseSample(p, s, baseKey)) {
        diffTotal += v;
        diffDiv += d;
      }
    }
    // Rounding is monotonic: the sum in doubles passes 2^53 − 1 exactly when the true sum does.
    if (total > MAX_EXACT) return this.computeExactTotal();
    if (diffTotal > 0) {
      total = diffTotal;
      div = diffDiv;
    }
    return div !== 0 ? Math.trunc(total / div) : total;
  }

  /** computeTotal in bigint, as pprof sums int64 (but without its wrap-around past 2^63 − 1, which it warns about). */
  private computeExactTotal(): number {
    const p = this.profile;
    const exact = (s: number): bigint => this.exactSampleValue(s);
    this.sampleValue.limbs = splitExact(p.samples.count, exact);
    const baseKey = p.strings.indexOf('pprof::base');
    const mean = this.sampleValue.meanDivisor !== undefined;
    let total = 0n;
    let div = 0n;
    let diffTotal = 0n;
    let diffDiv = 0n;
    for (const s of this.work.samples) {
      const v = exact(s);
      const abs = v < 0n ? -v : v;
      const d = mean ? exactValue(p, s * p.sampleTypes.length) : 0n;
      total += abs;
      div += d;
      if (isDiffBaseSample(p, s, baseKey)) {
        diffTotal += abs;
        diffDiv += d;
      }
    }
    if (total > INT64_MAX) {
      this.warnings.push(
        `the sum of the ${this.sampleType} values passes int64's largest value: go tool pprof's int64 sums wrap around ` +
          'here (it prints a negative total); footprint prints the true sums',
      );
    }
    if (diffTotal > 0n) {
      total = diffTotal;
      div = diffDiv;
    }
    return Number(div !== 0n ? total / div : total);
  }

  /** Sample s's value of the report's sample type, exactly. */
  exactSampleValue(s: number): bigint {
    return exactValue(this.profile, s * this.profile.sampleTypes.length + this.sampleTypeIndex);
  }

  /** Builds the call graph, only over `kept` nodes when given. */
  graph(kept?: Uint8Array, withEdges = true): Graph {
    return new Graph(this.nodes, this.work, this.sampleValue, kept, this.options.dropNegative, withEdges);
  }

  /**
   * pprof's newTrimmedGraph: drop nodes under nodefraction, keep the top
   * nodecount, then trim light edges. Returns the counts the header reports.
   */
  trimmedGraph(): { graph: Graph; origCount: number; droppedNodes: number } {
    const o = this.options;
    // The first pass only decides which nodes survive; it needs no edges unless it is also the last.
    const mayCut = o.nodeFraction > 0;
    let g = this.graph(undefined, !mayCut);
    const totalValue = g.flatSum();
    const nodeCutoff = Math.abs(Math.trunc(totalValue * o.nodeFraction));
    const edgeCutoff = Math.abs(Math.trunc(totalValue * o.edgeFraction));
    let droppedNodes = 0;
    if (nodeCutoff > 0) {
      const kept = g.nodesAtOrAbove(nodeCutoff);
      const keptCount = kept.reduce((a, b) => a + b, 0);
      droppedNodes = g.nodes.length - keptCount;
      g = this.graph(kept);
    } else if (mayCut) {
      g = this.graph();
    }
    const origCount = g.nodes.length;
    g.sort(o.cum);
    if (o.nodeCount > 0) {
      g.trimLowFrequencyEdges(edgeCutoff);
      if (o.nodeCount < g.nodes.length) {
        const kept = new Uint8Array(this.nodes.count);
        for (const id of g.nodes.subarray(0, o.nodeCount)) kept[id] = 1;
        g = this.graph(kept);
        g.sort(o.cum);
      }
    }
    g.trimLowFrequencyEdges(edgeCutoff);
    return { graph: g, origCount, droppedNodes };
  }

  /** pprof's selectOutputUnit: one unit for the whole report, from the smallest non-zero row. */
  selectOutputUnit(g: Graph): void {
    if (this.options.unit !== 'minimum' || g.nodes.length === 0) return;
    let minValue = 0;
    for (const id of g.nodes) {
      let nodeMin = Math.abs(g.flatValue(id));
      if (nodeMin === 0) nodeMin = Math.abs(g.cumValue(id));
      if (nodeMin > 0 && (minValue === 0 || nodeMin < minValue)) minValue = nodeMin;
    }
    let maxValue = this.total;
    if (minValue === 0) minValue = maxValue;
    const r = 1 / this.options.divideBy;
    if (r > 0 && r !== 1) {
      minValue = Math.trunc(minValue * r);
      maxValue = Math.trunc(maxValue * r);
    }
    const [, minUnit] = scale(minValue, this.sampleUnit, 'minimum');
    const [, maxUnit] = scale(maxValue, this.sampleUnit, 'minimum');
    let unit = minUnit;
    if (minUnit !== maxUnit && minValue * 100 < maxValue) [, unit] = scale(100 * minValue, this.sampleUnit, 'minimum');
    this.outputUnit = unit !== '' ? unit : this.sampleUnit;
  }

  formatValue(v: number): string {
    const r = 1 / this.options.divideBy;
    if (r > 0 && r !== 1) v = Math.trunc(v * r);
    return scaledLabel(v, this.sampleUnit, this.outputUnit);
  }

  /** pprof's ProfileLabels: File, Build ID, comments, Type, Time, Duration. */
  profileLabels(): string[] {
    const p = this.profile;
    const out: string[] = [];
    const m = p.mappings[0];
    if (m) {
      if (m.file !== '') out.push(`File: ${printable(basePath(m.file))}`);
      if (m.buildId !== '') out.push(`Build ID: ${printable(m.buildId)}`);
    }
    for (const c of p.comments) if (!c.startsWith('#')) out.push(printable(c));
    if (this.sampleType !== '') out.push(`Type: ${printable(this.sampleType)}`);
    if (p.timeNanos !== 0n) out.push(`Time: ${formatProfileTime(p.timeNanos)}`);
    if (p.durationNanos !== 0n) {
      const duration = label(Number(p.durationNanos), 'nanoseconds');
      const [totalNanos, totalUnit] = scale(this.total, this.sampleUnit, 'nanoseconds');
      const ratio = totalUnit === 'ns' && totalNanos !== 0 ? `(${percentage(Math.trunc(totalNanos), Number(p.durationNanos))})` : '';
      out.push(`Duration: ${duration}, Total samples = ${this.formatValue(this.total)} ${ratio}`);
    }
    return out;
  }

  /** pprof's reportLabels: profile labels, active filters, and what the trimming left out. */
  reportLabels(g: Graph, origCount: number, droppedNodes: number): string[] {
    const o = this.options;
    const out = this.profileLabels();
    const flatSum = g.runningFlat(g.nodes).at(-1) ?? 0;
    if (this.activeFilters.length > 0) {
      out.push('Active filters:');
      for (const f of this.activeFilters) out.push(`   ${printable([...f].length > 80 ? [...f].slice(0, 80).join('') + '…' : f)}`);
    }
    out.push(
      `Showing nodes accounting for ${this.formatValue(flatSum)}, ${percentage(flatSum, this.total).trim()} of ${this.formatValue(this.total)} total`,
    );
    if (this.total !== 0) {
      if (droppedNodes > 0) {
        const cut = this.formatValue(Math.abs(Math.trunc(this.total * o.nodeFraction)));
        out.push(`Dropped ${droppedNodes} ${droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${cut})`);
      }
      if (g.nodes.length > 0 && g.nodes.length < origCount) {
        out.push(`Showing top ${g.nodes.length} nodes out of ${origCount}`);
      }
    }
    return out;
  }
}

const INT64_MAX = (1n << 63n) - 1n;

/** pprof's SampleIndexByName, including its default (default_sample_type, else the last type). */
export function sampleIndexByName(p: Profile, sampleIndex: string): number {
  const types = p.sampleTypes;
  if (types.length === 0) throw new ReportError('profile has no samples');
  if (sampleIndex === '') {
    if (p.defaultSampleType !== '') {
      const i = types.findIndex((t) => t.type === p.defaultSampleType);
      if (i >= 0) return i;
    }
    return types.length - 1;
  }
  if (/^[+-]?\d+$/.test(sampleIndex)) {
    const i = Number(sampleIndex);
    if (i < 0 || i >= types.length) {
      throw new ReportError(`sample_index ${sampleIndex} is outside the range [0..${types.length - 1}]`);
    }
    return i;
  }
  const noInuse = sampleIndex.startsWith('inuse_') ? sampleIndex.slice('inuse_'.length) : sampleIndex;
  const i = types.findIndex((t) => t.type === sampleIndex || t.type === noInuse);
  if (i < 0) throw new ReportError(`sample_index "${sampleIndex}" must be one of: [${types.map((t) => t.type).join(' ')}]`);
  return i;
}

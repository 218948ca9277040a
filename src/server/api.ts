import { analyzeGcTrace } from '../analyze/gc/index.js';
import type { GcAnalysis, SimulatedCycle, WhatIfSetting } from '../analyze/gc/types.js';
import { analyzeGoroutines, goroutinesReport } from '../analyze/goroutines/index.js';
import type { GoroutinesReport } from '../analyze/goroutines/types.js';
import { analyzeTrace } from '../analyze/trace/index.js';
import type { TraceAnalysis } from '../analyze/trace/types.js';
import { FootprintError } from '../model/errors.js';
import type { Profile } from '../model/profile.js';
import { flameTree } from '../report/flame.js';
import { FrameTable } from '../report/frames.js';
import { compileGoRegexp } from '../report/goregexp.js';
import { Report } from '../report/report.js';
import { profileFindings, type Datasets, type ProfileSet } from './datasets.js';
import { linkedFindings, type LinkedFinding, type ViewName } from './links.js';

export type { ViewName };
import { encodeFlame } from './wire.js';
import { StoreRoutes } from './store.js';

/** An API answer, before HTTP: a status, a content type and a body. */
export interface ApiResponse {
  status: number;
  type: string;
  body: Uint8Array | string;
}

/** A profile of the session, as the flame view lists it. */
export interface ProfileInfo {
  name: string;
  kind: string;
  diff: boolean;
  sampleTypes: { type: string; unit: string }[];
  sampleIndex: number;
}

/** GET /api/session: what was loaded and which views have data. */
export interface SessionInfo {
  title: string;
  views: ViewName[];
  /** The view to open first: findings for a capture, else the first view with data. */
  start: ViewName;
  profiles: ProfileInfo[];
  gcLogs: string[];
  traces: string[];
  goroutines: string[];
  notes: string[];
}

const json = (value: unknown, status = 200): ApiResponse => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(value) });
const fail = (status: number, error: string): ApiResponse => json({ error }, status);

/** Recent flame trees kept encoded; a 400k-stack tree is tens of MB, so only a few. */
const FLAME_CACHE = 3;

/**
 * The data API of one session. Every route is a GET of a pure computation on
 * the loaded data, cached where it is costly (trace analyses, flame trees).
 */
export class UiApi {
  private readonly frameTables: FrameTable[];
  private readonly flames = new Map<string, Uint8Array>();
  private readonly sampleIndexes = new Map<Profile, number>();
  private readonly gc = new Map<string, GcTimeline>();
  private readonly traces = new Map<number, TraceAnalysis>();
  private goroutineCache: GoroutinesReport | undefined;
  private findingCache: LinkedFinding[] | undefined;
  private readonly store: StoreRoutes | undefined;
  /** How many profiles the session started with; those after are stored snapshots opened on request. */
  private readonly givenProfiles: number;

  constructor(
    private readonly data: Datasets,
    private readonly defaults: { sampleIndex?: string } = {},
  ) {
    this.frameTables = data.profiles.map((p) => new FrameTable(p.profile));
    this.givenProfiles = data.profiles.length;
    this.store = data.store && new StoreRoutes(data.store, (set) => this.addProfile(set));
  }

  /** Answers a GET of /api/ROUTE; a bad request is a 400 with the reason, anything else thrown is the server's 500. */
  async handle(route: string, query: URLSearchParams): Promise<ApiResponse> {
    try {
      switch (route) {
        case 'store':
          return json(await this.storeRoutes().overview());
        case 'store/open': {
          const p = await this.storeRoutes().open(query);
          return json({ p, profile: this.profileInfo(this.data.profiles[p]!) });
        }
        case 'session':
          return json(this.session());
        case 'flame':
          return this.flame(query);
        case 'match':
          return this.match(query);
        case 'gc':
          return json(this.gcAnalysis(query));
        case 'trace':
          return json(this.traceAnalysis(this.index(query, 'd', this.data.traces.length)));
        case 'goroutines':
          return json(this.goroutines());
        case 'findings':
          return json(this.findings());
        default:
          return fail(404, `no API route ${route}`);
      }
    } catch (err) {
      if (err instanceof FootprintError) return fail(400, err.message);
      throw err;
    }
  }

  private storeRoutes(): StoreRoutes {
    if (!this.store) throw new RangeRequestError('no store was given (footprint ui --store DEST)');
    return this.store;
  }

  /** Adds a profile to the session (a stored snapshot opened from the store view); its index for /api/flame. */
  addProfile(set: ProfileSet): number {
    this.data.profiles.push(set);
    this.frameTables.push(new FrameTable(set.profile));
    return this.data.profiles.length - 1;
  }

  private profileInfo(p: ProfileSet): ProfileInfo {
    return { name: p.name, kind: p.kind, diff: p.diff, sampleTypes: p.profile.sampleTypes, sampleIndex: this.defaultSampleIndex(p.profile) };
  }

  session(): SessionInfo {
    const d = this.data;
    const views: ViewName[] = d.store ? ['store'] : [];
    const hasFindings = d.diagnosis !== undefined || d.profiles.length + d.gcLogs.length + d.traces.length + d.goroutines.length > 0;
    if (hasFindings) views.push('findings');
    if (d.profiles.length || d.store) views.push('flame');
    if (d.gcLogs.length) views.push('timeline');
    if (d.traces.length) views.push('trace');
    if (d.goroutines.length) views.push('goroutines');
    const start: ViewName = d.diagnosis ? 'findings' : d.store ? 'store' : (views.find((v) => v !== 'findings') ?? 'findings');
    return {
      title: d.title,
      views,
      start,
      profiles: d.profiles.map((p) => this.profileInfo(p)),
      gcLogs: d.gcLogs.map((g) => g.name),
      traces: d.traces.map((t) => t.name),
      goroutines: d.goroutines.map((g) => g.name),
      notes: d.notes,
    };
  }

  private index(query: URLSearchParams, key: string, count: number): number {
    const raw = query.get(key) ?? '0';
    const i = Number(raw);
    if (!/^\d+$/.test(raw) || i >= count) throw new RangeRequestError(`${key}=${raw}: there are ${count}`);
    return i;
  }

  /**
   * Builds what the app opens on before the URL is printed: the first
   * profile's flame tree at the default sample type (seconds on a
   * 400k-stack profile; the page then paints from the cache).
   */
  prepare(): void {
    const first = this.data.profiles[0];
    if (!first) return;
    // The query the app sends for it (web/src/flame/view.ts), so the cache answers it.
    const si = first.profile.sampleTypes[this.defaultSampleIndex(first.profile)]!.type;
    this.flame(new URLSearchParams({ p: '0', si }));
  }

  /** The sample type a profile opens on: --sample_index when given, else pprof's default. */
  private defaultSampleIndex(profile: Profile): number {
    let i = this.sampleIndexes.get(profile);
    if (i === undefined) {
      i = new Report(profile, 'top', { sampleIndex: this.defaults.sampleIndex ?? '', nodeCount: 1 }).sampleTypeIndex;
      this.sampleIndexes.set(profile, i);
    }
    return i;
  }

  /** GET /api/flame?p=&si=&focus=&ignore=&hide=&show=: the flame tree, binary (see wire.ts). */
  private flame(query: URLSearchParams): ApiResponse {
    const p = this.index(query, 'p', this.data.profiles.length);
    const options = {
      sampleIndex: query.get('si') ?? this.defaults.sampleIndex ?? '',
      focus: query.get('focus') || undefined,
      ignore: query.get('ignore') || undefined,
      hide: query.get('hide') || undefined,
      show: query.get('show') || undefined,
    };
    const key = JSON.stringify([p, options]);
    let body = this.flames.get(key);
    if (!body) {
      const rpt = new Report(this.data.profiles[p]!.profile, 'top', options);
      const tree = flameTree(rpt, this.frameTables[p]);
      body = encodeFlame(tree, { sampleType: rpt.sampleType, unit: rpt.sampleUnit, total: rpt.total, warnings: rpt.warnings });
      if (this.flames.size >= FLAME_CACHE) this.flames.delete(this.flames.keys().next().value!);
      this.flames.set(key, body);
    }
    return { status: 200, type: 'application/octet-stream', body };
  }

  /** GET /api/match?p=&re=: the frames whose names match a Go regular expression (RE2, as pprof's flags). */
  private match(query: URLSearchParams): ApiResponse {
    const p = this.index(query, 'p', this.data.profiles.length);
    let test: (name: string) => boolean;
    try {
      const re = compileGoRegexp(query.get('re') ?? '');
      test = (name) => re.test(name);
    } catch (err) {
      return fail(400, (err as Error).message);
    }
    const frames: number[] = [];
    this.frameTables[p]!.frames.forEach((f, i) => test(f.name) && frames.push(i));
    return json({ frames });
  }

  /**
   * GET /api/gc?d=&whatif=gogc:200&whatif=limit:268435456&whatif=gogc:off:
   * the gctrace analysis with what-if replays, and `baselineSeries`, the log
   * replayed at its own setting: the replays run on allocation, and this ties
   * their cycles to the log's time for plotting.
   */
  private gcAnalysis(query: URLSearchParams): GcTimeline {
    const d = this.index(query, 'd', this.data.gcLogs.length);
    const whatIfs = query.getAll('whatif').map(parseWhatIf);
    const key = JSON.stringify([d, whatIfs]);
    let a = this.gc.get(key);
    if (!a) {
      const trace = this.data.gcLogs[d]!.trace;
      const own = analyzeGcTrace(trace).baseline.setting;
      const baseline = { gogc: own.gogc === 'off' ? null : own.gogc, gomemlimit: own.gomemlimit };
      const both = analyzeGcTrace(trace, { whatIfs: [baseline, ...whatIfs] });
      a = { ...both, whatIf: both.whatIf.slice(1), whatIfSeries: both.whatIfSeries.slice(1), baselineSeries: both.whatIfSeries[0] ?? [] };
      this.gc.set(key, a);
    }
    return a;
  }

  private traceAnalysis(d: number): TraceAnalysis {
    let a = this.traces.get(d);
    if (!a) {
      const t = this.data.traces[d]!;
      a = analyzeTrace(t.source, { source: t.name });
      this.traces.set(d, a);
    }
    return a;
  }

  /** Every goroutine input, in order: one analysis, or with several looks, what grew between the first and the last. */
  private goroutines(): GoroutinesReport {
    if (!this.goroutineCache) {
      const looks = this.data.goroutines.map((g) => ({ file: g.name, analysis: analyzeGoroutines(g.input) }));
      if (looks.length === 0) throw new RangeRequestError('no goroutine input was given');
      this.goroutineCache = goroutinesReport(looks);
    }
    return this.goroutineCache;
  }

  /** Every finding of every input, with the view that shows its evidence. */
  findings(): LinkedFinding[] {
    if (this.findingCache) return this.findingCache;
    // The inputs given, not the snapshots opened from a store since (the store view has their findings):
    // the same findings whenever the tab is first opened.
    const d = { ...this.data, profiles: this.data.profiles.slice(0, this.givenProfiles) };
    const sources = d.diagnosis
      ? [{ from: 'footprint doctor', findings: d.diagnosis.findings }]
      : [
          ...d.profiles.map((p, i) => ({ from: p.name, findings: profileFindings(p), origin: { view: 'flame' as const, dataset: i } })),
          ...d.gcLogs.map((g, i) => ({ from: g.name, findings: this.gcAnalysis(new URLSearchParams({ d: String(i) })).findings, origin: { view: 'timeline' as const, dataset: i } })),
          ...d.traces.map((t, i) => ({ from: t.name, findings: this.traceAnalysis(i).findings, origin: { view: 'trace' as const, dataset: i } })),
          ...(d.goroutines.length
            ? [{ from: d.goroutines.map((g) => g.name).join(', '), findings: this.goroutines().findings, origin: { view: 'goroutines' as const, dataset: 0 } }]
            : []),
        ];
    this.findingCache = linkedFindings(sources, d);
    return this.findingCache;
  }
}

/** The GC timeline's data: the analysis, and the log's own setting replayed (see gcAnalysis). */
export type GcTimeline = GcAnalysis & { baselineSeries: SimulatedCycle[] };

/** A query that names data the session does not have (a 400, not a bug). */
class RangeRequestError extends FootprintError {}

/** `gogc:N`, `gogc:off`, `limit:BYTES` or `limit:BYTES,gogc:N` (the app builds these). */
function parseWhatIf(spec: string): Partial<WhatIfSetting> {
  const setting: Partial<WhatIfSetting> = {};
  for (const part of spec.split(',')) {
    const [key, value = ''] = part.split(':');
    if (key === 'gogc' && value === 'off') setting.gogc = null;
    else if (key === 'gogc' && /^\d+$/.test(value)) setting.gogc = Number(value);
    else if (key === 'limit' && /^\d+$/.test(value)) setting.gomemlimit = Number(value);
    else throw new RangeRequestError(`what-if ${JSON.stringify(spec)}: expected gogc:N, gogc:off or limit:BYTES`);
  }
  return setting;
}

import type { Finding } from '../analyze/finding.js';
import { analyzeHistory } from '../analyze/history/index.js';
import { FootprintError } from '../model/errors.js';
import { profileSet, type ProfileSet } from './datasets.js';
import { evidenceProfiles, exactName } from './links.js';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.js';

/**
 * Where a history finding's evidence is: the last snapshot of its target
 * that holds the profile kind showing it, diffed against the first
 * (--diff_base semantics: what changed over the span the finding covers).
 */
export interface SnapshotLink {
  snapshot: number;
  kind: string;
  base?: number;
  sampleType?: string;
  search?: string;
}

export interface StoreFinding {
  finding: Finding;
  target: string;
  link?: SnapshotLink;
}

/** GET /api/store: the store's snapshots (oldest first) and its history's findings. */
export interface StoreOverview {
  description: string;
  snapshots: StoredSnapshot[];
  findings: StoreFinding[];
}

/** A request for a snapshot the store does not hold (a 400, with the store's own words). */
class StoreRequestError extends FootprintError {}

/**
 * The store's routes. Read afresh on every overview (a watcher may still be
 * writing); each opened snapshot (or pair) is read once and kept, as a
 * profile of the session (`addProfile` returns its index for the flame view).
 */
export class StoreRoutes {
  private readonly opened = new Map<string, Promise<number>>();

  constructor(
    private readonly store: SnapshotStore,
    private readonly addProfile: (set: ProfileSet) => number,
  ) {}

  async overview(): Promise<StoreOverview> {
    const snapshots = (await this.store.list()).map(({ id, target, time, kinds }) => ({ id, target, time, kinds: [...kinds] }));
    const { findings } = analyzeHistory(await this.store.history());
    return { description: this.store.description, snapshots, findings: findings.map((f) => linkFinding(f, snapshots)) };
  }

  /** GET /api/store/open?id=&kind=[&base=]: the session's profile index of that snapshot (or the diff of two). */
  open(query: URLSearchParams): Promise<number> {
    const id = snapshotId(query, 'id');
    const base = query.has('base') ? snapshotId(query, 'base') : undefined;
    const kind = query.get('kind') || 'heap';
    const key = JSON.stringify([id, kind, base]);
    let p = this.opened.get(key);
    if (!p) {
      p = this.read(id, kind, base);
      this.opened.set(key, p);
      // A failed read is not kept: the next request tries again.
      p.catch(() => this.opened.delete(key));
    }
    return p;
  }

  private async read(id: number, kind: string, base: number | undefined): Promise<number> {
    const name = (n: number) => `${this.store.description}#${n}:${kind}`;
    const profile = await this.store.profile(id, kind);
    const baseProfile = base === undefined ? undefined : { profile: await this.store.profile(base, kind), name: name(base) };
    return this.addProfile(profileSet(name(id), profile, baseProfile));
  }
}

function snapshotId(query: URLSearchParams, key: string): number {
  const raw = query.get(key) ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new StoreRequestError(`${key}=${raw}: expected a snapshot id`);
  return Number(raw);
}

/** A finding's target is its first evidence entry (analyzeHistory tags every finding so). */
function linkFinding(finding: Finding, snapshots: readonly StoredSnapshot[]): StoreFinding {
  const first = finding.evidence[0];
  const target = first?.label === 'target' && typeof first.value === 'string' ? first.value : '';
  const evidence = evidenceProfiles(finding.kind);
  const search = finding.location ? { search: exactName(finding.location.function) } : {};
  for (const kind of evidence?.kinds ?? []) {
    const holding = snapshots.filter((s) => s.target === target && s.kinds.includes(kind));
    const last = holding.at(-1);
    if (!last) continue;
    const base = holding.length > 1 ? { base: holding[0]!.id } : {};
    const sampleType = evidence?.sampleType ? { sampleType: evidence.sampleType } : {};
    return { finding, target, link: { snapshot: last.id, kind, ...base, ...sampleType, ...search } };
  }
  return { finding, target };
}

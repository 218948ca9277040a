import { Ev } from '../../formats/trace/index.js';
import type { TraceEvent } from '../../model/trace.js';
import type { TraceCollector } from './run.js';
import type { UserSpans } from './types.js';

/**
 * runtime/trace's tasks and regions (trace.NewTask, trace.WithRegion): per
 * name, how many ended in the trace, how long they took, and how many were
 * still open at its end. One record per name, and one open entry per task
 * or region in flight.
 */
export class UserSpanCollector implements TraceCollector {
  readonly types = [Ev.UserTaskBegin, Ev.UserTaskEnd, Ev.UserRegionBegin, Ev.UserRegionEnd];
  private readonly openTasks = new Map<number, { name: string; start: number }>();
  /** Regions nest per goroutine: a stack of open ones for each. */
  private readonly openRegions = new Map<number, { name: string; start: number }[]>();
  private readonly tasks = new Map<string, Stats>();
  private readonly regions = new Map<string, Stats>();

  event(e: TraceEvent): void {
    switch (e.type) {
      case Ev.UserTaskBegin:
        this.openTasks.set(e.args[0]!, { name: e.string(e.args[2]!), start: e.time });
        return;
      case Ev.UserTaskEnd: {
        const t = this.openTasks.get(e.args[0]!);
        if (t) {
          add(this.tasks, t.name, e.time - t.start);
          this.openTasks.delete(e.args[0]!);
        }
        return;
      }
      case Ev.UserRegionBegin: {
        const stack = this.openRegions.get(e.g) ?? [];
        stack.push({ name: e.string(e.args[1]!), start: e.time });
        this.openRegions.set(e.g, stack);
        return;
      }
      case Ev.UserRegionEnd: {
        const r = this.openRegions.get(e.g)?.pop();
        if (r) add(this.regions, r.name, e.time - r.start);
        return;
      }
    }
  }

  finish(): UserSpans {
    const open = (names: Iterable<{ name: string }>) => {
      const m = new Map<string, number>();
      for (const { name } of names) m.set(name, (m.get(name) ?? 0) + 1);
      return m;
    };
    const openTasks = open(this.openTasks.values());
    const openRegions = open([...this.openRegions.values()].flat());
    return { tasks: rows(this.tasks, openTasks), regions: rows(this.regions, openRegions) };
  }
}

interface Stats {
  count: number;
  totalNs: number;
  maxNs: number;
}

function add(m: Map<string, Stats>, name: string, ns: number): void {
  const s = m.get(name) ?? { count: 0, totalNs: 0, maxNs: 0 };
  s.count++;
  s.totalNs += ns;
  if (ns > s.maxNs) s.maxNs = ns;
  m.set(name, s);
}

function rows(ended: Map<string, Stats>, open: Map<string, number>): UserSpans['tasks'] {
  const names = new Set([...ended.keys(), ...open.keys()]);
  return [...names]
    .map((name) => {
      const s = ended.get(name);
      return { name, count: s?.count ?? 0, open: open.get(name) ?? 0, totalNs: s?.totalNs ?? 0, meanNs: s ? s.totalNs / s.count : null, maxNs: s?.maxNs ?? null };
    })
    .sort((a, b) => b.totalNs - a.totalNs || (a.name < b.name ? -1 : 1));
}

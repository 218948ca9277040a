import { basePath, cleanPath, trimBuildPath } from './gopath.js';
import type { WorkProfile } from './work.js';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

/** What survives aggregation at a granularity (pprof driver.aggregate + Profile.Aggregate). */
interface Keep {
  function: boolean;
  filename: boolean;
  linenumber: boolean;
  columnnumber: boolean;
  address: boolean;
  inlineFrame: boolean;
}

function keepFor(granularity: Granularity, noInlines: boolean, showColumns: boolean): Keep {
  const inlineFrame = !noInlines;
  // pprof skips aggregation entirely for addresses with inlines: everything is kept.
  if (granularity === 'addresses' && inlineFrame) {
    return { function: true, filename: true, linenumber: true, columnnumber: true, address: true, inlineFrame };
  }
  const k = { function: false, filename: false, linenumber: false, columnnumber: showColumns, address: false, inlineFrame };
  switch (granularity) {
    case 'addresses':
      return { ...k, function: true, filename: true, linenumber: true, address: true };
    case 'lines':
      return { ...k, function: true, filename: true, linenumber: true };
    case 'files':
      return { ...k, filename: true };
    case 'functions':
      return { ...k, function: true };
    case 'filefunctions':
      return { ...k, function: true, filename: true };
  }
}

/** pprof's graph.NodeInfo: what identifies a report row. */
export interface NodeInfo {
  name: string;
  origName: string;
  address: bigint;
  file: string;
  startLine: number;
  lineno: number;
  columnno: number;
  objfile: string;
}

/** pprof NodeInfo.PrintableName. */
function printableName(i: NodeInfo): string {
  const parts: string[] = [];
  if (i.address !== 0n) parts.push(i.address.toString(16).padStart(16, '0'));
  if (i.name !== '') parts.push(i.name);
  if (i.lineno !== 0) parts.push(`${i.file}:${i.lineno}${i.columnno !== 0 ? `:${i.columnno}` : ''}`);
  else if (i.file !== '') parts.push(i.file);
  else if (i.name !== '') {
    // the function name is already there
  } else if (i.objfile !== '') parts.push(`[${basePath(i.objfile)}]`);
  else parts.push('<unknown>');
  return parts.join(' ');
}

/**
 * The set of distinct report rows (NodeInfos) of a profile at a granularity,
 * and for every location the rows its lines map to (callee first). Computed
 * once per report; graphs are then built over these integer IDs.
 */
export class NodeTable {
  readonly infos: NodeInfo[] = [];
  readonly names: string[] = [];
  /** Per location: its nodes are `locNodes[locStart .. locStart+locCount)`, callee first. */
  readonly locStart: Int32Array;
  readonly locCount: Int32Array;
  readonly locNodes: Int32Array;
  private sprints: (string | undefined)[] = [];

  constructor(w: WorkProfile, granularity: Granularity, opts: { noInlines?: boolean; showColumns?: boolean } = {}) {
    const keep = keepFor(granularity, opts.noInlines ?? false, opts.showColumns ?? false);
    const p = w.p;
    const nLoc = p.locations.count;
    this.locStart = new Int32Array(nLoc);
    this.locCount = new Int32Array(nLoc);
    const ids: number[] = [];
    const byKey = new Map<string, number>();
    const fileCache = new Map<number, string>();
    const cleanFile = (x: number): string => {
      let f = fileCache.get(x);
      if (f === undefined) {
        const raw = trimBuildPath(p.strings[x]!);
        f = raw === '' ? '' : cleanPath(raw);
        fileCache.set(x, f);
      }
      return f;
    };
    const intern = (info: NodeInfo): number => {
      const key = `${info.address}\0${info.name}\0${info.file}\0${info.startLine}\0${info.lineno}\0${info.columnno}\0${info.objfile}`;
      let id = byKey.get(key);
      if (id === undefined) {
        id = this.infos.length;
        this.infos.push(info);
        this.names.push(printableName(info));
        byKey.set(key, id);
      }
      return id;
    };
    for (let loc = 0; loc < nLoc; loc++) {
      this.locStart[loc] = ids.length;
      const address = keep.address ? p.locations.address[loc]! : 0n;
      const m = p.locations.mapping[loc]!;
      const objfile = m >= 0 ? p.mappings[m]!.file : '';
      let start = w.lineStart[loc]!;
      let count = w.lineCount[loc]!;
      if (!keep.inlineFrame && count > 1) {
        start += count - 1;
        count = 1;
      }
      if (count === 0) {
        ids.push(intern({ name: '', origName: '', address, file: '', startLine: 0, lineno: 0, columnno: 0, objfile }));
      }
      for (let j = start; j < start + count; j++) {
        const ln = w.lineIdx[j]!;
        const f = p.lines.function[ln]!;
        if (f < 0) {
          ids.push(intern({ name: '', origName: '', address, file: '', startLine: 0, lineno: 0, columnno: 0, objfile }));
          continue;
        }
        const name = keep.function ? p.strings[p.functions.name[f]!]! : '';
        const file = keep.filename ? cleanFile(p.functions.filename[f]!) : '';
        const anonymous = name === '';
        ids.push(
          intern({
            name,
            origName: '',
            address,
            file,
            startLine: anonymous ? p.functions.startLine[f]! : 0,
            lineno: keep.linenumber ? p.lines.line[ln]! : 0,
            columnno: keep.linenumber && keep.columnnumber ? p.lines.column[ln]! : 0,
            objfile: anonymous ? objfile : '',
          }),
        );
      }
      this.locCount[loc] = ids.length - this.locStart[loc]!;
    }
    this.locNodes = Int32Array.from(ids);
  }

  get count(): number {
    return this.infos.length;
  }

  /** Go's fmt.Sprint(NodeInfo), pprof's last tie-breaker when sorting rows. */
  sprint(id: number): string {
    let s = this.sprints[id];
    if (s === undefined) {
      const i = this.infos[id]!;
      s = `{${i.name} ${i.origName} ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.columnno} ${i.objfile}}`;
      this.sprints[id] = s;
    }
    return s;
  }
}

/**
 * The flame tree on the wire, shared by the server that writes it
 * (src/server/wire.ts, which documents the layout) and the web app that
 * reads it (web/src/flame/wire.ts): one binary body instead of one JSON
 * object per node, since a 400k-stack profile has millions of nodes.
 * Pure declarations, so the app can import it as it imports the units.
 */
export const FLAME_MAGIC = 'FPF1';

/** The JSON header after the magic and its length. */
export interface FlameHeader {
  nodes: number;
  diff: boolean;
  /** [name, file, startLine] per frame. */
  frames: [string, string, number][];
  sampleType: string;
  unit: string;
  /** pprof's report total (before focus), for percentages as top prints them. */
  total: number;
  warnings: string[];
}

/** Each typed-array part starts on an 8-byte boundary, so the reader can view the buffer in place. */
export const pad8 = (n: number): number => (n + 7) & ~7;

import type { Bundle } from '../../model/bundle.js';
import { findMapReference } from '../../formats/sourcemap/locate.js';
import { attribute, bytesPerOwner, type Spans } from './attribute.js';
import { originOf, type Origin } from './origin.js';

/** A bundle with every byte given an owner: what the report and the findings are computed from. */
export interface Attributed {
  bundle: Bundle;
  spans: Spans;
  /** Per source of the map (empty without a map). */
  origins: Origin[];
  perSource: Float64Array;
  unmapped: number;
  warnings: string[];
}

export function attributeBundle(bundle: Bundle): Attributed {
  const reference = findMapReference(bundle.code);
  const cut = reference ? { start: reference.start, end: bundle.code.length } : undefined;
  const { spans, warnings } = attribute(bundle.code, bundle.map, cut);
  const sources = bundle.map?.sources ?? [];
  const { perSource, unmapped } = bytesPerOwner(spans, sources.length);
  return {
    bundle,
    spans,
    origins: sources.map(originOf),
    perSource,
    unmapped,
    warnings: [...bundle.warnings, ...(bundle.map?.warnings ?? []), ...warnings],
  };
}

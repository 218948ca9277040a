import { FootprintError } from '../model/errors.js';

/** A report that cannot be produced from the given profile and flags (bad sample index, bad regexp, …). */
export class ReportError extends FootprintError {
  override name = 'ReportError';
}

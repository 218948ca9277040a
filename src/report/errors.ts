/** A report that cannot be produced from the given profile and flags (bad sample index, bad regexp, …). */
export class ReportError extends Error {}

/** Profiles that cannot be merged (different sample types or units): a one-line error, not a crash. */
export class IncompatibleProfilesError extends Error {}

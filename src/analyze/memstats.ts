import type { MemStats } from '../model/profile.js';

/**
 * One runtime.MemStats field as a number the analyses can use, or why not.
 * Every field is a uint64 (runtime/mstats.go): never negative, always whole,
 * and no real process comes near 2^53 bytes (8 PiB) — a counter that wrapped
 * below zero reads as 2^64 − x, up there. Sys, everything the runtime holds
 * from the OS, is never 0 in a running program. A value that breaks these is
 * left out, and every figure that needs it is skipped, saying so.
 */
export type MemStatsValue = { value: number } | { problem: string };

const LIMIT = 2 ** 53;

export function memStatsValue(m: MemStats | undefined, name: string): MemStatsValue | undefined {
  const raw = m?.[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'number' && typeof raw !== 'bigint') return { problem: `${name} is ${JSON.stringify(raw)}, not a number` };
  const shown = `${name} = ${raw.toString()}`;
  if (raw < 0) return { problem: `${shown}: MemStats fields are unsigned, never negative` };
  if (typeof raw === 'number' && !Number.isInteger(raw)) return { problem: `${shown}: MemStats fields are whole numbers` };
  if (raw >= LIMIT) return { problem: `${shown}: past 2^53 (8 PiB), no real amount (a counter that wrapped below zero reads as 2^64 − x)` };
  if (name === 'Sys' && Number(raw) === 0) return { problem: `${shown}: a running Go program always holds memory from the OS` };
  return { value: Number(raw) };
}

import { FormatError } from '../errors.js';

/**
 * Linux /proc/PID files the doctor reads for the resident set (proc(5)):
 * `smaps_rollup` and `status` give totals, `smaps` one block per mapping.
 * Sizes are printed in kB (KiB); they are returned in bytes.
 */

/** The `Name:   1234 kB` fields of smaps_rollup or of one smaps block, in bytes. */
export type MemoryFields = Record<string, number>;

export interface Mapping {
  start: number;
  end: number;
  perms: string;
  /** The file mapped, or a pseudo-name such as [heap], [stack], [vdso]; '' for anonymous memory. */
  path: string;
  fields: MemoryFields;
}

export interface ProcStatus {
  name: string;
  pid: number | null;
  threads: number | null;
  /** VmRSS, RssAnon, RssFile, RssShmem, VmHWM, VmSize … in bytes. */
  memory: MemoryFields;
}

const KB_FIELD = /^([A-Za-z_][A-Za-z0-9_]*):\s+(\d+) kB$/;
const MAPPING_HEADER = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+[0-9a-f]+\s+\S+\s+\d+\s*(.*)$/;

export function parseSmapsRollup(text: string, source: string): MemoryFields {
  const fields = kbFields(text.split('\n'));
  if (fields.Rss === undefined) throw new FormatError('not a /proc/PID/smaps_rollup file (no Rss line)', source);
  return fields;
}

export function parseSmaps(text: string, source: string): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of text.split('\n')) {
    const header = MAPPING_HEADER.exec(line);
    if (header) {
      current = { start: hex(header[1]!), end: hex(header[2]!), perms: header[3]!, path: header[4]!.trim(), fields: {} };
      out.push(current);
      continue;
    }
    const f = KB_FIELD.exec(line);
    if (f && current) current.fields[f[1]!] = Number(f[2]) * 1024;
  }
  if (out.length === 0 && text.trim() !== '') throw new FormatError('not a /proc/PID/smaps file (no mapping lines)', source);
  return out;
}

export function parseStatus(text: string, source: string): ProcStatus {
  const lines = text.split('\n');
  const value = (key: string) => lines.find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1).trim();
  const memory = kbFields(lines);
  if (memory.VmRSS === undefined) throw new FormatError('not a /proc/PID/status file (no VmRSS line)', source);
  const pid = Number(value('Pid'));
  const threads = Number(value('Threads'));
  return { name: value('Name') ?? '', pid: Number.isInteger(pid) ? pid : null, threads: Number.isInteger(threads) ? threads : null, memory };
}

function kbFields(lines: readonly string[]): MemoryFields {
  const out: MemoryFields = {};
  for (const line of lines) {
    const m = KB_FIELD.exec(line.trim());
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}

/** Addresses above 2^53 (the vsyscall page) lose low bits; only their order matters here. */
function hex(s: string): number {
  return Number(BigInt(`0x${s}`));
}

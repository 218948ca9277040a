import { formatF, formatG, padLeft } from './gofmt.js';

/**
 * Units and value formatting as pprof prints them
 * (google/pprof internal/measurement/measurement.go at the version Go 1.23 vendors).
 */

interface Unit {
  name: string;
  aliases: string[];
  factor: number;
}

interface UnitType {
  defaultUnit: Unit;
  units: Unit[];
}

const BYTES: UnitType = {
  units: [
    { name: 'B', aliases: ['b', 'byte'], factor: 1 },
    { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
    { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
    { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
    { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
    { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
  ],
  defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
};

const TIME: UnitType = {
  units: [
    { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
    { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
    { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
    { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
    { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
  ],
  defaultUnit: { name: 's', aliases: [], factor: 1e9 },
};

const GCU: UnitType = {
  units: [
    { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
    { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
    { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
    { name: 'GCU', aliases: ['gcu'], factor: 1 },
    { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
    { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
    { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
    { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
    { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
  ],
  defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
};

const UNIT_TYPES = [BYTES, TIME, GCU];

function sniffUnit(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2 && u.endsWith('s')) u = u.slice(0, -1);
  return ut.units.find((x) => x.aliases.includes(u));
}

function autoScale(ut: UnitType, value: number): [number, string] | undefined {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) {
      f = u.factor;
      name = u.name;
    }
  }
  return f === 0 ? undefined : [value / f, name];
}

function convertUnit(ut: UnitType, value: number, from: string, to: string): [number, string] | undefined {
  const fromUnit = sniffUnit(ut, from);
  if (!fromUnit) return undefined;
  const v = value * fromUnit.factor;
  if (to === 'minimum' || to === 'auto') {
    return autoScale(ut, v) ?? [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  }
  const toUnit = sniffUnit(ut, to);
  if (!toUnit) return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
  return [v / toUnit.factor, toUnit.name];
}

/** Converts `value` in `fromUnit` to `toUnit` ("minimum"/"auto" pick a readable unit). */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of UNIT_TYPES) {
    const r = convertUnit(ut, value, fromUnit, toUnit);
    if (r) return r;
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/** pprof's ScaledLabel: "%.2f" with a trailing ".00" dropped, then the unit. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let sv = formatF(v, 2);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** pprof's Label: a value with an automatically chosen unit. */
export function label(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** pprof's Percentage: always six characters wide. */
export function percentage(value: number, total: number): string {
  return formatPercent(total !== 0 ? Math.abs(value / total) * 100 : 0);
}

/** A share already in percent (|value / total| × 100), as pprof's Percentage prints it. */
export function formatPercent(ratio: number): string {
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return padLeft(formatF(ratio, 2), 5) + '%';
  return padLeft(formatG(ratio, 2), 5) + '%';
}

/** True when two units measure the same kind of quantity (pprof compatibleValueTypes, units part). */
export function sameUnitKind(a: string, b: string): boolean {
  if (a === b) return true;
  return UNIT_TYPES.some((ut) => sniffUnit(ut, a) !== undefined && sniffUnit(ut, b) !== undefined);
}

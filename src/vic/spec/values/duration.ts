// Durations as Go's time.ParseDuration takes them (`--timeout`, VIC_MACHINE_API_TIMEOUT): `90s`, `1m30s`, `3m0s`,
// `1.5h`, `500ms`, `0`; held as milliseconds (fractions kept). Canonical text: Go's Duration.String(), `1m30s`.
import { InvalidValueError } from './value-error.js';

const UNITS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000,
};

export const DURATION_EXAMPLE = 'a duration such as 90s, 3m0s or 1h2m (units h, m, s, ms)';

/** Go time.ParseDuration, in milliseconds; undefined when it is not a duration. */
export function durationMs(s: string): number | undefined {
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  const re = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) return undefined;
    const [whole, int = '', frac, unit = ''] = m;
    if (int === '' && (frac === undefined || frac === '')) return undefined;
    const mult = UNITS[unit];
    if (mult === undefined) return undefined;
    total += Number(`${int || '0'}.${frac || '0'}`) * mult;
    rest = rest.slice(whole.length);
  }
  return sign * total;
}

export function parseDuration(text: string): number {
  const ms = durationMs(text.trim());
  if (ms === undefined) throw new InvalidValueError(`"${text}" is not a duration`, DURATION_EXAMPLE);
  return ms;
}

function fmtFrac(v: number, digits: number): string {
  // v with up to `digits` decimals, trailing zeros removed (Go prints the shortest exact form)
  return v.toFixed(digits).replace(/\.?0+$/, '');
}

/** Go time.Duration.String() for a value in milliseconds: `3m0s`, `1h2m0s`, `1.5s`, `500ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let v = Math.abs(ms);
  let out: string;
  if (v < 1000) {
    if (v >= 1) out = `${fmtFrac(v, 6)}ms`;
    else if (v >= 1e-3) out = `${fmtFrac(v * 1e3, 3)}µs`;
    else out = `${Math.round(v * 1e6)}ns`;
  } else {
    const h = Math.floor(v / 3_600_000);
    v -= h * 3_600_000;
    const m = Math.floor(v / 60_000);
    v -= m * 60_000;
    const s = `${fmtFrac(v / 1000, 9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

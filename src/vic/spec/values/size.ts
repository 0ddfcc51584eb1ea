// Sizes: `--base-image-size` in bytes with a unit, and the whole-number flags in MB or GB (`--memory`,
// `--memory-reservation`, `--endpoint-memory`, `--storage-quota`).
//
// --base-image-size takes what vic-machine 1.5 takes (docker/go-units FromHumanSize, DECIMAL units):
//   8GB = 8gb = 8 GB = 8G = 8g = 8Gb = 8000MB = 8000000KB = 8000000000 = 8000000000B   (8·10^9 bytes)
// and, beyond 1.5, binary units: 8GiB = 8192MiB = 8·2^30 bytes. Canonical text: the largest decimal unit that divides
// the value exactly (`8GB`, `8500MB`, `1234B`), so that format → parse loses nothing.
//
// The whole-number flags take a number in the flag's unit, as 1.5 does (`--memory 4096`), and beyond 1.5 a number
// with a unit: the unit of vSphere's memory sizes and of 1.5's storage quota (GB × 2^30 bytes) is binary, so there
// 1GB = 1024MB (`--memory 4GB` = `--memory 4096`, `--storage-quota 1TB` = `--storage-quota 1024`). A value that
// is not a whole number of the flag's unit is refused. Canonical text: the plain number.
import { InvalidValueError } from './value-error.js';

const DECIMAL: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };
const BINARY: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40, p: 2 ** 50 };

const BYTES_EXAMPLE = 'a size such as 8GB, 8000MB or 8GiB (GB and MB are decimal, GiB and MiB binary)';

/** `--base-image-size` and other byte sizes: a number of bytes. */
export function parseByteSize(text: string): number {
  const t = text.trim();
  // go-units FromHumanSize: ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[bB]?$ (decimal); and <n>[KMGTP]iB (binary)
  const bin = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])i[bB]$/.exec(t);
  if (bin) return Math.trunc(Number(bin[1]) * BINARY[bin[2]!.toLowerCase()]!);
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[bB]?$/.exec(t);
  const n = m ? Number(m[1]) : NaN;
  if (!m || Number.isNaN(n)) throw new InvalidValueError(`"${text}" is not a size`, BYTES_EXAMPLE);
  return Math.trunc(n * DECIMAL[(m[2] ?? '').toLowerCase()]!);
}

/** The canonical text of a byte size: `8GB`, `8500MB`, `1234B`. */
export function formatByteSize(bytes: number): string {
  for (const [unit, mul] of [['PB', 1e15], ['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['KB', 1e3]] as const) {
    if (bytes >= mul && bytes % mul === 0) return `${bytes / mul}${unit}`;
  }
  return `${bytes}B`;
}

export type SizeUnit = 'MB' | 'GB';

const UNIT_POWER: Record<string, number> = { k: -1, m: 0, g: 1, t: 2, p: 3 };

/**
 * A whole number of MB or GB (binary, as vSphere counts memory and 1.5 counts the storage quota): `4096`,
 * `4096MB`, `4GB`, `4G`, `4GiB` in MB flags are all 4096. Negative numbers are refused.
 */
export function parseSizeIn(text: string, unit: SizeUnit): number {
  const t = text.trim();
  const example = unit === 'MB' ? 'a whole number of MB such as 4096, or with a unit such as 4096MB or 4GB' : 'a whole number of GB such as 500, or with a unit such as 500GB or 1TB';
  if (/^\+?\d+$/.test(t)) {
    const n = Number(t);
    if (!Number.isSafeInteger(n)) throw new InvalidValueError(`"${text}" is too large`, example);
    return n;
  }
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])(?:i?[bB])?$/.exec(t);
  if (!m) throw new InvalidValueError(`"${text}" is not a size in ${unit}`, example);
  const power = UNIT_POWER[m[2]!.toLowerCase()]! - (unit === 'GB' ? 1 : 0);
  const value = Number(m[1]) * 1024 ** power;
  if (!Number.isSafeInteger(value)) throw new InvalidValueError(`"${text}" is not a whole number of ${unit}`, example);
  return value;
}

export function formatSizeIn(n: number): string {
  return String(n);
}

// Resource-pool shares (`--cpu-shares`, `--memory-shares`): `low`, `normal`, `high` in any case, or a positive
// number of shares (vSphere's level `custom`). Canonical text: the level's name in lower case, or the number.
import { InvalidValueError } from './value-error.js';

export type Shares = { level: 'low' | 'normal' | 'high' } | { level: 'custom'; shares: number };

export const SHARES_EXAMPLE = 'low, normal, high or a positive number of shares, e.g. 4000';

export function parseShares(text: string): Shares {
  const t = text.trim();
  const l = t.toLowerCase();
  if (l === 'low' || l === 'normal' || l === 'high') return { level: l };
  const n = /^\+?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidValueError(`"${text}" is not a shares value`, SHARES_EXAMPLE);
  return { level: 'custom', shares: n };
}

export function formatShares(s: Shares): string {
  return s.level === 'custom' ? String(s.shares) : s.level;
}

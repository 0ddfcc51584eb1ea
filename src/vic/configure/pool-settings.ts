// `configure --cpu/--memory[-reservation|-shares]` (reference §5.3 step 12): the VCH's resource pool (or vApp) gets
// the new limits, reservations and shares with UpdateConfig; flags not given keep the pool's current values.
// vSphere wants a fully populated ResourceConfigSpec (a bare InvalidArgument otherwise, vic#6250), so the spec is
// the current allocation with the requested fields replaced, and nothing is sent when nothing differs (1.5: "VCH
// resource settings are same as old value").
import type { ResourceAllocationInfo } from '../../vim/types.generated.js';

export type SharesLevel = 'low' | 'normal' | 'high' | 'custom';

export interface Allocation extends ResourceAllocationInfo {
  reservation: number;
  expandableReservation: boolean;
  /** -1 = unlimited */
  limit: number;
  shares: { shares: number; level: SharesLevel };
}

export interface PoolAllocation {
  cpu: Allocation;
  memory: Allocation;
}

/** The resource flags: absent = unchanged. Limits <= 0 mean unlimited. */
export interface PoolRequest {
  cpuLimitMHz?: number;
  cpuReservationMHz?: number;
  cpuShares?: { level: 'low' | 'normal' | 'high' } | { level: 'custom'; shares: number };
  memoryLimitMB?: number;
  memoryReservationMB?: number;
  memoryShares?: { level: 'low' | 'normal' | 'high' } | { level: 'custom'; shares: number };
}

export interface PoolChange {
  /** the full spec for UpdateConfig */
  spec: { cpuAllocation: Allocation; memoryAllocation: Allocation };
  /** one line per changed value */
  changes: string[];
}

/** The pool's allocation as read (config.cpuAllocation / config.memoryAllocation), with vSphere's defaults filled in. */
export function allocationOf(a: Partial<Allocation> | undefined): Allocation {
  const shares = a?.shares ?? { shares: 0, level: 'normal' as SharesLevel };
  return {
    reservation: Number(a?.reservation ?? 0),
    expandableReservation: a?.expandableReservation ?? true,
    limit: Number(a?.limit ?? -1),
    shares: { shares: Number(shares.shares ?? 0), level: (shares.level ?? 'normal') as SharesLevel },
  };
}

function sharesText(s: Allocation['shares']): string {
  return s.level === 'custom' ? String(s.shares) : s.level;
}

function apply(kind: 'cpu' | 'memory', unit: string, a: Allocation, limit: number | undefined, reservation: number | undefined,
  shares: PoolRequest['cpuShares'], changes: string[]): Allocation {
  const out = { ...a, shares: { ...a.shares } };
  const show = (n: number): string => (n < 0 ? 'unlimited' : `${n} ${unit}`);
  if (limit !== undefined) {
    const l = limit > 0 ? limit : -1;
    if (l !== a.limit) changes.push(`${kind} limit: ${show(a.limit)} → ${show(l)}`);
    out.limit = l;
  }
  if (reservation !== undefined) {
    const r = Math.max(0, reservation);
    if (r !== a.reservation) changes.push(`${kind} reservation: ${a.reservation} ${unit} → ${r} ${unit}`);
    out.reservation = r;
  }
  if (shares) {
    const s = shares.level === 'custom' ? { level: 'custom' as const, shares: shares.shares } : { level: shares.level, shares: 0 };
    const changed = s.level !== a.shares.level || (s.level === 'custom' && s.shares !== a.shares.shares);
    if (changed) changes.push(`${kind} shares: ${sharesText(a.shares)} → ${sharesText(s)}`);
    // for a named level vSphere computes the number itself; the number sent is ignored
    out.shares = changed ? s : a.shares;
  }
  return out;
}

/** The UpdateConfig spec for the request, or undefined when it changes nothing. */
export function poolChange(current: PoolAllocation, req: PoolRequest): PoolChange | undefined {
  const changes: string[] = [];
  const cpu = apply('cpu', 'MHz', current.cpu, req.cpuLimitMHz, req.cpuReservationMHz, req.cpuShares, changes);
  const memory = apply('memory', 'MB', current.memory, req.memoryLimitMB, req.memoryReservationMB, req.memoryShares, changes);
  return changes.length ? { spec: { cpuAllocation: cpu, memoryAllocation: memory }, changes } : undefined;
}

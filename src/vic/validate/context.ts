// The state one validation run shares between its checks: the inventory snapshot, the finder over it, and the
// issues, warnings and notes collected so far. Plus small typed accessors for the properties read with it.
import { Finder } from '../../vim/finder.js';
import type { Inventory, InventoryObject } from '../../vim/inventory.js';
import type { MoRef } from '../../vim/types.js';
import type { ValidateCreateInput, ValidationCode, ValidationIssue } from './types.js';

/** The input with its defaults applied. */
export interface NormalizedInput extends ValidateCreateInput {
  bridgeNetwork: string;
  publicNetwork: string;
  clientNetwork: string;
  managementNetwork: string;
  volumeStores: NonNullable<ValidateCreateInput['volumeStores']>;
  containerNetworks: NonNullable<ValidateCreateInput['containerNetworks']>;
}

export function normalizeInput(i: ValidateCreateInput): NormalizedInput {
  const publicNetwork = i.publicNetwork?.trim() || 'VM Network';
  const clientNetwork = i.clientNetwork?.trim() || publicNetwork;
  return {
    ...i,
    bridgeNetwork: i.bridgeNetwork?.trim() || i.name,
    publicNetwork,
    clientNetwork,
    managementNetwork: i.managementNetwork?.trim() || clientNetwork,
    volumeStores: i.volumeStores ?? [],
    containerNetworks: i.containerNetworks ?? [],
  };
}

export class Ctx {
  readonly issues: ValidationIssue[] = [];
  readonly warnings: string[] = [];
  readonly notes: string[] = [];
  readonly finder: Finder;

  constructor(readonly input: NormalizedInput, readonly inv: Inventory, readonly isVC: boolean) {
    this.finder = new Finder(inv);
  }

  issue(code: ValidationCode, flag: string, message: string, suggestions?: string[], fix?: string): void {
    const i: ValidationIssue = { code, flag, message };
    if (suggestions) i.suggestions = suggestions;
    if (fix) i.fix = fix;
    this.issues.push(i);
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  get(ref: MoRef | undefined): InventoryObject | undefined {
    return this.inv.get(ref);
  }

  childrenOfType(parent: MoRef, ...types: string[]): InventoryObject[] {
    return this.inv.children(parent).filter((o) => types.includes(o.ref.type));
  }
}

export const key = (r: MoRef): string => `${r.type}:${r.value}`;

export function prop<T>(o: InventoryObject | undefined, path: string): T | undefined {
  return o?.props[path] as T | undefined;
}

export function refs(o: InventoryObject | undefined, path: string): MoRef[] {
  const v = prop<unknown>(o, path);
  return Array.isArray(v) ? (v as MoRef[]) : [];
}

export function sortedUnique(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort((a, b) => a.localeCompare(b));
}

/** Lists capped for messages: the first `max`, then "... and N more". */
export function capList(xs: string[], max = 40): string[] {
  return xs.length <= max ? xs : [...xs.slice(0, max), `... and ${xs.length - max} more`];
}

export function quoteList(xs: readonly string[]): string {
  return xs.map((x) => `"${x}"`).join(', ');
}

// Locating the one VCH a command is about (inspect, delete, ...): by --id, or by --name within --compute-resource
// (or the datacenter). Costs the same few round trips as `ls`, whatever the inventory size.
import type { Session } from '../../vim/session.js';
import { pickVch, resolveScope, scanVms, type ScanResult, type Scope, type VchRecord } from './find.js';

export interface LocateOptions {
  datacenterPath?: string | undefined;
  /** see ScopeOptions.datacenterId */
  datacenterId?: string | undefined;
  computeResource?: string | undefined;
  id?: string | undefined;
  name?: string | undefined;
  extraPaths?: Partial<Record<string, string[]>>;
  log?: (line: string) => void;
  /** see ScopeOptions.warn */
  warn?: (line: string) => void;
}

export interface Located {
  scope: Scope;
  scan: ScanResult;
  vch: VchRecord;
}

export async function locateVch(session: Session, o: LocateOptions): Promise<Located> {
  const scope = await resolveScope(session, {
    datacenterPath: o.datacenterPath, datacenterId: o.datacenterId, computeResource: o.id ? undefined : o.computeResource,
    ...(o.extraPaths ? { extraPaths: o.extraPaths } : {}), ...(o.log ? { log: o.log } : {}), ...(o.warn ? { warn: o.warn } : {}), withVms: true,
  });
  const scan = await scanVms(scope);
  const vch = pickVch(scope, scan, { ...(o.id ? { id: o.id } : {}), ...(o.name ? { name: o.name } : {}) });
  return { scope, scan, vch };
}

// The VCH's secret key (guestinfo.ovfEnv), needed to read its sealed secrets back. vSphere hides that key from the
// API (it is set through the OVF environment), so it is read from the VM's .vmx file on the datastore, as vic-machine
// 1.5 does; the API's extraConfig is the fallback, where the key is visible (the simulator).
import { DatastoreFiles, parseDatastorePath } from '../../vim/datastore-files.js';
import { retrieveOne } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import { SecretKey } from '../config/index.js';
import { placementOf, type Scope, type VchRecord } from '../vch/find.js';

export const OVF_ENV_KEY = 'guestinfo.ovfEnv';

/** `key = "value"` lines of a .vmx file (values unescaped as vSphere writes them: |22 for a quote, |7C for a bar). */
export function parseVmx(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^=\s]+)\s*=\s*"(.*)"\s*$/.exec(line);
    if (m) out[m[1]!.toLowerCase()] = m[2]!.replace(/\|([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return out;
}

export async function readOvfEnvKey(session: Session, vm: MoRef, dc: { ref: MoRef; path: string }, datastores: ReadonlyMap<string, MoRef>,
  extraConfig: Readonly<Record<string, string>>): Promise<{ key: string; source: 'vmx' | 'api' } | undefined> {
  try {
    const { 'config.files.vmPathName': vmx } = await retrieveOne<{ 'config.files.vmPathName': string }>(session, vm, ['config.files.vmPathName']);
    const where = parseDatastorePath(vmx);
    const ds = where ? datastores.get(where.datastore) : undefined;
    if (where && ds) {
      const files = new DatastoreFiles(session, { datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: where.datastore, datastore: ds });
      const value = parseVmx((await files.read(where.path)).toString('utf8'))[OVF_ENV_KEY.toLowerCase()];
      if (value) return { key: value, source: 'vmx' };
    }
  } catch {
    // fall back to the API below
  }
  const api = extraConfig[OVF_ENV_KEY];
  return api && api !== '<nil>' ? { key: api, source: 'api' } : undefined;
}

/** The secret key of a located VCH, with where it came from (undefined when neither the .vmx nor the API has it). */
export async function readVchSecretKey(session: Session, scope: Scope, vch: VchRecord): Promise<{ key: SecretKey; source: 'vmx' | 'api' } | undefined> {
  const { dc, datastores } = placementOf(scope, vch);
  const found = await readOvfEnvKey(session, vch.ref, dc, datastores, vch.extraConfig);
  return found ? { key: SecretKey.fromString(found.key), source: found.source } : undefined;
}

// GET /target/{target}[/datacenter/{datacenter}]/vch: the VCHs as `vic-machine ls` finds them (src/vic/vch/list.ts:
// the same round trips, the same versions and upgrade status), as 1.5's VCH_List_Item, with the addresses that
// `inspect` would print (admin_portal, docker_host) and, as extensions, what the CLI's ls --json says beside them.
import { listVchRecords } from '../../vic/vch/list.js';
import { runtimeOf, type VchRuntime } from '../vch-model.js';
import { installerOf } from '../isos.js';
import type { Route } from '../router.js';
import { withTarget } from '../vsphere-target.js';

export function listRoute(prefix: string): Route {
  return {
    method: 'GET', path: `${prefix}/vch`, handler: async (ctx) => {
      const installer = await installerOf(ctx.server.isoDirectories);
      const items = await withTarget(ctx, (session, t, key) => ctx.server.pool.coalesce(key, `list ${JSON.stringify(t.scope)}`, async () => {
        const res = await listVchRecords(session, t.scope, installer);
        return res.vchs.map((v, i) => {
          let runtime: Partial<VchRuntime> = {};
          try {
            runtime = runtimeOf(res.records[i]!, installer).runtime;
          } catch { /* an undecodable configuration: ls shows it with version unknown, so do we */ }
          return {
            id: v.id, name: v.name, parent: { name: v.path }, version: v.version, power_state: v.powerState,
            upgrade_status: v.upgradeStatus.text,
            ...(runtime.admin_portal ? { admin_portal: runtime.admin_portal } : {}), ...(runtime.docker_host ? { docker_host: runtime.docker_host } : {}),
            // extensions: as the CLI's ls --json says them
            moref: v.moref, path: v.path, datacenter: v.datacenter, creating: v.creating, upgrade_status_kind: v.upgradeStatus.kind,
          };
        });
      }));
      return { status: 200, body: { vchs: items } };
    },
  };
}

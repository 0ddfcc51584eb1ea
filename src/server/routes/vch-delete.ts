// DELETE .../vch/{vchId}: `vic-machine delete --id` (src/vic/vch/delete.ts) with the Deletion_Specification's
// choices: containers "all" powers off and removes running container VMs (default "off": refused while any runs),
// volume_stores "all" removes the volume stores (default "none": kept). Answered once the VCH is gone, as 1.5 did,
// or at once with Prefer: respond-async.
import { DELETE_INVENTORY_PATHS, deleteVch } from '../../vic/vch/delete.js';
import { pickVch, resolveScope, scanVms } from '../../vic/vch/find.js';
import { badRequest } from '../api-error.js';
import { runOperation } from '../operation.js';
import type { Route } from '../router.js';
import { targetOf } from '../vsphere-target.js';

interface DeletionSpecification { containers?: 'off' | 'all'; volume_stores?: 'none' | 'all' }

function specOf(body: unknown): DeletionSpecification {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a Deletion_Specification object', '$');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (k !== 'containers' && k !== 'volume_stores') throw badRequest(`unknown field $.${k}: a Deletion_Specification has containers and volume_stores`, `$.${k}`);
  }
  if (b['containers'] !== undefined && b['containers'] !== 'off' && b['containers'] !== 'all') throw badRequest(`invalid $.containers ${JSON.stringify(b['containers'])}: expected "off" or "all"`, '$.containers');
  if (b['volume_stores'] !== undefined && b['volume_stores'] !== 'none' && b['volume_stores'] !== 'all') throw badRequest(`invalid $.volume_stores ${JSON.stringify(b['volume_stores'])}: expected "none" or "all"`, '$.volume_stores');
  return b as DeletionSpecification;
}

export function deleteRoute(prefix: string): Route {
  return {
    method: 'DELETE', path: `${prefix}/vch/{vchId}`, handler: async (ctx) => {
      const spec = specOf(await ctx.body());
      const t = targetOf(ctx);
      const id = ctx.params['vchId']!;
      return runOperation(ctx, t, {
        operation: 'delete', vch: { id }, status: 202, stopOnCancel: true,
        run: async (session, task, validated, _answer, sessionKey) => {
          task.info('Validating target');
          // Deletes of one credential in flight at once share one read of the inventory and its VMs: each read holds
          // every VM's configuration, and 50 deletes reading them side by side were slower than one after another
          // (and peaked near 1 GB). Each delete touches only its own VCH, so an answer read moments earlier serves.
          const { scope, scan } = await ctx.server.pool.coalesce(sessionKey, `delete-read ${JSON.stringify(t.scope)}`, async () => {
            const scope = await resolveScope(session, { ...t.scope, computeResource: undefined, extraPaths: DELETE_INVENTORY_PATHS, withVms: true, log: task.info });
            return { scope, scan: await scanVms(scope) };
          });
          const vch = pickVch(scope, scan, { id });
          task.vch = { id: vch.id, name: vch.name };
          validated();
          return deleteVch(session, scope, scan, vch, {
            force: false, powerOffContainers: spec.containers === 'all', removeVolumeStores: spec.volume_stores === 'all', log: task, signal: task.signal,
          });
        },
      });
    },
  };
}

// GET .../vch/{vchId}: the VCH in the `VCH` model (vch-model.ts), located as `vic-machine inspect --id` locates it:
// what `inspect config --format json` writes, with `runtime` as `inspect` says it.
import { locateVch } from '../../vic/vch/locate.js';
import { readVchSpec } from '../../vic/vch/read-spec.js';
import { installerOf } from '../isos.js';
import type { Route } from '../router.js';
import { vchModel } from '../vch-model.js';
import { withTarget } from '../vsphere-target.js';

export function getRoute(prefix: string): Route {
  return {
    method: 'GET', path: `${prefix}/vch/{vchId}`, handler: async (ctx) => {
      const installer = await installerOf(ctx.server.isoDirectories);
      const body = await withTarget(ctx, async (session, t, key) => ctx.server.pool.coalesce(key, `get ${JSON.stringify(t.scope)} ${ctx.params['vchId']}`, async () => {
        const { scope, vch } = await locateVch(session, { ...t.scope, id: ctx.params['vchId']! });
        return vchModel(vch, await readVchSpec(session, scope, vch), installer);
      }));
      return { status: 200, body };
    },
  };
}

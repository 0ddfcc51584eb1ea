// GET .../vch/{vchId}/log: the logs vic-machine runs left next to the VCH (src/vic/vch/run-logs.ts), as text.
import { locateVch } from '../../vic/vch/locate.js';
import { readRunLogs } from '../../vic/vch/run-logs.js';
import type { Route } from '../router.js';
import { withTarget } from '../vsphere-target.js';

export function logRoute(prefix: string): Route {
  return {
    method: 'GET', path: `${prefix}/vch/{vchId}/log`, handler: async (ctx) => {
      const text = await withTarget(ctx, async (session, t) => {
        const { scope, vch } = await locateVch(session, { ...t.scope, id: ctx.params['vchId']!, extraPaths: {} });
        return (await readRunLogs(session, scope, vch)).text;
      });
      return { status: 200, text };
    },
  };
}

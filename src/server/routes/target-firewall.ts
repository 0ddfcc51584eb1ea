// GET /target/{target}[/datacenter/{datacenter}]: the host firewall of the compute resource's hosts (1.5 answered
// 501): `in_supported_state` says whether 2377/tcp outbound is permitted, as create's validation requires.
// POST ?action=firewall:allow|deny: `vic-machine update firewall --allow|--deny` on those hosts; 204 when done.
import { firewallStatus, updateFirewall } from '../../vic/firewall/update-firewall.js';
import { badRequest } from '../api-error.js';
import type { Route } from '../router.js';
import { withTarget } from '../vsphere-target.js';

export function firewallRoutes(prefix: string): Route[] {
  return [
    {
      method: 'GET', path: prefix, handler: async (ctx) => {
        const st = await withTarget(ctx, (session, t) => firewallStatus(session, { ...t.scope, computeResource: t.scope.computeResource ?? '' }));
        return {
          status: 200, body: {
            firewall: st.hosts.map((h) => ({
              target: h.path, in_supported_state: h.outbound2377 === 'permitted',
              // extensions
              id: h.id, outbound_2377: h.outbound2377, ...(h.ruleset ? { ruleset: h.ruleset, enabled: h.enabled } : {}),
            })),
            compute_resource: st.computeResource,
          },
        };
      },
    },
    {
      method: 'POST', path: prefix, handler: async (ctx) => {
        const action = ctx.query.get('action');
        if (action !== 'firewall:allow' && action !== 'firewall:deny') {
          throw badRequest(`invalid action ${JSON.stringify(action ?? '')}: expected firewall:allow or firewall:deny`, 'action');
        }
        await withTarget(ctx, (session, t) => updateFirewall(session, {
          ...t.scope, computeResource: t.scope.computeResource ?? '', action: action === 'firewall:allow' ? 'allow' : 'deny',
        }));
        return { status: 204 };
      },
    },
  ];
}

// GET /target/{target}[/datacenter/{datacenter}]/console/inventory (an extension for the console's create wizard):
// what a VCH can be placed on, so that every choice naming a vSphere object is picked from what exists: compute
// resources (clusters, hosts, resource pools and vApps, as create's compute.resource.name takes them: relative to
// the datacenter's host folder), datastores with their free space, and networks (port groups). One inventory read.
import { resolveScope } from '../../vic/vch/find.js';
import type { Route } from '../router.js';
import { withTarget } from '../vsphere-target.js';

export interface ConsoleInventory {
  datacenter: { id: string; name: string };
  compute_resources: { name: string; type: string }[];
  datastores: { name: string; free_bytes?: number; capacity_bytes?: number }[];
  networks: { name: string; type: string }[];
}

const COMPUTE_TYPE: Record<string, string> = {
  ClusterComputeResource: 'cluster', ComputeResource: 'host', HostSystem: 'host', ResourcePool: 'resource pool', VirtualApp: 'vApp',
};

export function inventoryRoute(prefix: string): Route {
  return {
    method: 'GET', path: `${prefix}/console/inventory`, extension: true, handler: async (ctx) => {
      const body = await withTarget(ctx, async (session, t) => {
        const scope = await resolveScope(session, { ...t.scope, computeResource: undefined, extraPaths: { Datastore: ['summary.freeSpace', 'summary.capacity'] } });
        const dc = scope.datacenters[0]!;
        const f = scope.finder;
        const inv: ConsoleInventory = {
          datacenter: { id: dc.ref.value, name: dc.path.replace(/^\//, '') },
          // a standalone host appears as its ComputeResource and its HostSystem: the ComputeResource is what create takes
          compute_resources: f.all('compute', dc).filter((o) => o.ref.type !== 'HostSystem' && !(o.ref.type === 'ResourcePool' && o.name === 'Resources'))
            .map((o) => ({ name: f.relativePath(o, 'compute'), type: COMPUTE_TYPE[o.ref.type] ?? o.ref.type })).sort((a, b) => a.name.localeCompare(b.name)),
          datastores: f.all('datastore', dc).map((o) => ({
            name: o.name,
            ...(typeof o.props['summary.freeSpace'] === 'number' ? { free_bytes: o.props['summary.freeSpace'] as number } : {}),
            ...(typeof o.props['summary.capacity'] === 'number' ? { capacity_bytes: o.props['summary.capacity'] as number } : {}),
          })).sort((a, b) => a.name.localeCompare(b.name)),
          networks: f.all('network', dc).filter((o) => !/-DVUplinks-/.test(o.name))
            .map((o) => ({ name: o.name, type: o.ref.type === 'DistributedVirtualPortgroup' ? 'distributed port group' : o.ref.type === 'OpaqueNetwork' ? 'opaque network' : 'network' }))
            .sort((a, b) => a.name.localeCompare(b.name)),
        };
        return inv;
      });
      return { status: 200, body };
    },
  };
}

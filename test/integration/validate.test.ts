// create's validation against the simulator: success on vCenter with and without DRS and on ESXi, every issue path
// (each naming its flag and listing what exists), and the round trips it costs, which do not grow with the VMs.
//
// Where the simulator cannot express a state (DRS off, a missing license, an ESXi host managed by vCenter, datastores
// or port groups that only some hosts see, datastore names with spaces, opaque networks), the test rewrites the
// simulator's property-collector answers on the client side: `patch` below.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startVcsim, type Vcsim } from '../support/vcsim.js';
import { AddPortGroup, AddVirtualSwitch, CreateFolder, CreateResourcePool, CreateVM_Task, DisableRuleset, EnableRuleset, UpdateRuleset } from '../../src/vim/methods.generated.js';
import { Session } from '../../src/vim/session.js';
import { loadInventory, type Inventory } from '../../src/vim/inventory.js';
import { runTask } from '../../src/vim/task.js';
import type { MoRef } from '../../src/vim/types.js';
import { validateCreate, VCH_ID_KEY, type CreatePlan, type ValidationIssue, type ValidationResult } from '../../src/vic/validate/index.js';
import { parseCreateValues, type CreateVchRequest } from '../../src/vic/create/create-vch.js';
import { parseIpv4, parseIpv4Cidr, parseIpv4Range } from '../../src/vic/spec/values/index.js';

/** The input as the front end reads it (text); parsed by create's one parser per value before validation. */
type ValidateCreateInput = CreateVchRequest['validate'] & { datacenter?: string; target?: string; thumbprint?: string };

type Props = Record<string, unknown>;
/** Edits one object of a property-collector answer in place; may return a replacement moref (e.g. another type). */
type Patch = (obj: MoRef, props: Props) => MoRef | void;

interface ObjectContent { obj: MoRef; propSet?: { name: string; val: unknown }[] }

function patch(s: Session, edit: Patch): void {
  const call = s.call.bind(s);
  s.call = (async (method: string, args: Record<string, unknown>, o?: { timeoutMs?: number; signal?: AbortSignal }) => {
    const res = await call(method, args, o);
    if ((method === 'RetrievePropertiesEx' || method === 'ContinueRetrievePropertiesEx') && res) {
      for (const oc of (res as { objects?: ObjectContent[] }).objects ?? []) {
        const props: Props = Object.fromEntries((oc.propSet ?? []).map((p) => [p.name, p.val]));
        const ref = edit(oc.obj, props);
        if (ref) oc.obj = ref;
        oc.propSet = Object.entries(props).filter(([, v]) => v !== undefined).map(([name, val]) => ({ name, val }));
      }
    }
    return res;
  }) as Session['call'];
}

const connect = (sim: Vcsim): Promise<Session> => Session.connect({ url: sim.url, user: 'u', password: 'p', trust: { thumbprint: sim.thumbprintSHA1 } });

interface Run { r: ValidationResult; trips: Record<string, number> }

async function validate(sim: Vcsim, input: ValidateCreateInput, edit?: Patch): Promise<Run> {
  const s = await connect(sim);
  try {
    if (edit) patch(s, edit);
    const before = new Map(s.client.roundTrips);
    const issues: ValidationIssue[] = [];
    const v = parseCreateValues({ validate: input, config: {} as CreateVchRequest['config'] }, issues);
    if (issues.length) throw new Error(`the input does not parse: ${issues.map((i) => i.message).join('; ')}`);
    const r = await validateCreate(s, { ...input, imageStore: v.imageStore, volumeStores: v.volumeStores });
    const trips: Record<string, number> = {};
    for (const [m, n] of s.client.roundTrips) if (n - (before.get(m) ?? 0)) trips[m] = n - (before.get(m) ?? 0);
    return { r, trips };
  } finally {
    await s.logout();
  }
}

function planOf(run: Run): CreatePlan {
  if (!run.r.ok) throw new Error(`expected a plan, got issues:\n${run.r.issues.map((i) => `${i.flag}: ${i.message}`).join('\n')}`);
  return run.r.plan;
}

function issuesOf(run: Run): ValidationIssue[] {
  if (run.r.ok) throw new Error('expected issues, got a plan');
  return run.r.issues;
}

function issueFor(run: Run, flag: string, message: RegExp | string): ValidationIssue {
  const issues = issuesOf(run);
  const hit = issues.find((i) => i.flag === flag && (typeof message === 'string' ? i.message.includes(message) : message.test(i.message)));
  if (!hit) throw new Error(`no ${flag} issue matching ${message}; issues:\n${issues.map((i) => `${i.flag}: ${i.message}`).join('\n')}`);
  return hit;
}

async function inventoryOf(sim: Vcsim): Promise<Inventory> {
  const s = await connect(sim);
  try {
    return await loadInventory(s, { extraPaths: { HostSystem: ['configManager.firewallSystem', 'configManager.networkSystem'] } });
  } finally {
    await s.logout();
  }
}

function byPath(inv: Inventory, p: string): { ref: MoRef; props: Props } {
  const o = inv.byInventoryPath(p);
  if (!o) throw new Error(`${p} is not in the inventory`);
  return o;
}

async function withSession<T>(sim: Vcsim, f: (s: Session) => Promise<T>): Promise<T> {
  const s = await connect(sim);
  try {
    return await f(s);
  } finally {
    await s.logout();
  }
}

const eq = (a: MoRef | undefined, b: MoRef): boolean => !!a && a.type === b.type && a.value === b.value;
const refIn = (list: unknown, r: MoRef): boolean => Array.isArray(list) && list.some((x: MoRef) => x.value === r.value);

// ---------------------------------------------------------------------------------------------------------------

let vc: Vcsim; // vCenter: DC0 with cluster DC0_C0 (3 hosts, DRS on), standalone DC0_H0, pool DC0_C0_RP1, vApp DC0_C0_APP0, 2 datastores
let inv: Inventory;
const C = '/DC0/host/DC0_C0';
const H = (n: number): string => `${C}/DC0_C0_H${n}`;
const good: ValidateCreateInput = {
  name: 'vch1', computeResource: 'DC0_C0', bridgeNetwork: 'DC0_DVPG0', imageStore: 'LocalDS_0', target: '127.0.0.1/DC0',
};

beforeAll(async () => {
  vc = await startVcsim({ firewallOpen: true, model: { ds: 2, pool: 1, app: 1 } });
  inv = await inventoryOf(vc);
});
afterAll(async () => {
  await vc?.stop();
});

describe('vCenter, DRS enabled', () => {
  test('success: the plan names every object, in two round trips', async () => {
    const run = await validate(vc, {
      ...good,
      imageStore: 'LocalDS_0/vch1-images',
      volumeStores: ['LocalDS_1/vols:default', 'nfs://10.0.0.5/exports?uid=1000:nfs'],
      containerNetworks: [{ vsphereName: 'DC0_DVPG1', alias: 'cn', gateway: '10.10.0.1/16', ipRange: '10.10.1.0/24', dns: ['10.10.0.2'], firewall: 'Published' }],
      storageQuotaGB: 10,
    });
    const plan = planOf(run);
    expect(run.trips).toEqual({ RetrievePropertiesEx: 2 });
    expect(plan.isVC).toBe(true);
    expect(plan.datacenter).toMatchObject({ name: 'DC0', path: '/DC0', vmFolder: byPath(inv, '/DC0/vm').ref, hostFolder: byPath(inv, '/DC0/host').ref });
    expect(plan.compute).toMatchObject({
      type: 'ClusterComputeResource', name: 'DC0_C0', path: C, drsEnabled: true,
      ref: byPath(inv, C).ref, rootPool: byPath(inv, `${C}/Resources`).ref,
      pool: { ref: byPath(inv, `${C}/Resources`).ref, path: `${C}/Resources`, type: 'ResourcePool' },
    });
    expect(plan.vchPool).toEqual({ parent: byPath(inv, `${C}/Resources`).ref, path: `${C}/Resources/vch1`, useParent: false });
    expect(plan.hosts.map((h) => h.path)).toEqual([H(0), H(1), H(2)]);
    expect(plan.hosts[0]!.networkSystem?.type).toBe('HostNetworkSystem');
    expect(plan.placementHost).toBeUndefined();
    expect(plan.imageStore).toMatchObject({ datastore: { name: 'LocalDS_0', ref: byPath(inv, '/DC0/datastore/LocalDS_0').ref }, path: 'vch1-images', url: 'ds://LocalDS_0/vch1-images' });
    expect(plan.imageStore.datastore.freeSpace).toBeGreaterThan(0);
    expect(plan.volumeStores).toEqual([
      expect.objectContaining({ label: 'default', kind: 'datastore', path: 'vols', url: 'ds://LocalDS_1/vols', datastore: expect.objectContaining({ name: 'LocalDS_1' }) }),
      { label: 'nfs', kind: 'nfs', url: 'nfs://10.0.0.5/exports?uid=1000', host: '10.0.0.5', path: '/exports', options: { uid: '1000' } },
    ]);
    expect(plan.networks.public).toMatchObject({ name: 'VM Network', type: 'Network', ref: byPath(inv, '/DC0/network/VM Network').ref });
    expect(plan.networks.client.ref).toEqual(plan.networks.public.ref);
    expect(plan.networks.management.ref).toEqual(plan.networks.public.ref);
    expect(plan.networks.bridge).toMatchObject({ name: 'DC0_DVPG0', type: 'DistributedVirtualPortgroup', dvs: { portgroupKey: expect.any(String), switchUuid: expect.stringMatching(/\S/) } });
    expect(plan.networks.container).toEqual([{
      alias: 'cn', network: expect.objectContaining({ name: 'DC0_DVPG1', type: 'DistributedVirtualPortgroup' }),
      // the parsed values (src/vic/spec/values/): create writes them as they are
      gateway: parseIpv4Cidr('10.10.0.1/16'), ipRanges: [parseIpv4Range('10.10.1.0/24')], dns: [parseIpv4('10.10.0.2')], firewall: 'published',
    }]);
    expect(plan.createBridge).toBeUndefined();
    expect(plan.setPersistNetworkBacking).toBe(true);
    expect(plan.warnings).toEqual([]);
  });

  test('the simulator counts the same two RetrievePropertiesEx', async () => {
    await vc.resetStats();
    planOf(await validate(vc, good));
    const soap = (await vc.stats()).soap;
    expect(soap['RetrievePropertiesEx']).toBe(2);
    expect(Object.keys(soap).sort()).toEqual(['Login', 'Logout', 'RetrievePropertiesEx', 'RetrieveServiceContent']);
  });

  test('a VM named like the VCH elsewhere in the cluster is no collision (the VCH gets its own pool and folder)', async () => {
    const plan = planOf(await validate(vc, { ...good, name: 'DC0_C0_RP0_VM0' }));
    expect(plan.vchPool.path).toBe(`${C}/Resources/DC0_C0_RP0_VM0`);
  });

  test.each([
    ['DC0_C0', `${C}/Resources`],
    ['/DC0/host/DC0_C0', `${C}/Resources`],
    ['./DC0_C0', `${C}/Resources`],
    ['DC0_C0/Resources', `${C}/Resources`],
    ['DC0_C0/Resources/DC0_C0_RP1', `${C}/Resources/DC0_C0_RP1`],
    ['DC0_C0_RP1', `${C}/Resources/DC0_C0_RP1`],
    ['/DC0/host/DC0_C0/Resources/DC0_C0_RP1', `${C}/Resources/DC0_C0_RP1`],
    ['DC0_C0_APP0', `${C}/Resources/DC0_C0_APP0`],
    ['DC0_H0', '/DC0/host/DC0_H0/Resources'],
    ['DC0_H0/Resources', '/DC0/host/DC0_H0/Resources'],
    ['DC0_H0/DC0_H0', '/DC0/host/DC0_H0/Resources'],
  ])('--compute-resource %s → pool %s', async (cr, pool) => {
    const plan = planOf(await validate(vc, { ...good, computeResource: cr }));
    expect(plan.compute.pool.path).toBe(pool);
    expect(plan.vchPool.path).toBe(`${pool}/vch1`);
    expect(plan.compute.pool.type).toBe(pool.endsWith('APP0') ? 'VirtualApp' : 'ResourcePool');
    if (cr.startsWith('DC0_H0')) {
      expect(plan.compute).toMatchObject({ type: 'ComputeResource', drsEnabled: undefined });
      expect(plan.hosts.map((h) => h.path)).toEqual(['/DC0/host/DC0_H0/DC0_H0']);
    }
  });
});

describe('vCenter, DRS disabled', () => {
  const drsOff: Patch = (obj, props) => {
    if (obj.type === 'ClusterComputeResource' && props['configurationEx']) {
      props['configurationEx'] = { ...(props['configurationEx'] as Props), drsConfig: { enabled: false } };
    }
  };

  test('the VCH lives in the cluster root pool on a chosen host; pool flags are ignored with a warning', async () => {
    const run = await validate(vc, { ...good, vchPool: { cpuLimit: 1000, memoryShares: 'high' } }, drsOff);
    const plan = planOf(run);
    expect(run.trips).toEqual({ RetrievePropertiesEx: 2 });
    expect(plan.compute.drsEnabled).toBe(false);
    expect(plan.vchPool).toEqual({ parent: byPath(inv, `${C}/Resources`).ref, path: `${C}/Resources`, useParent: true });
    expect(plan.placementHost).toEqual(byPath(inv, H(0)).ref);
    expect(plan.ignoredPoolFlags).toEqual(['--cpu', '--memory-shares']);
    expect(plan.warnings).toEqual([
      `DRS is recommended, but is disabled: VIC will select container hosts from "${C}"`,
      expect.stringMatching(/^Provided VCH Resource Pool options are ignored: CPU Limit, Memory Shares \(--cpu, --memory-shares\)/),
    ]);
  });

  test('without pool flags there is only the DRS warning', async () => {
    const plan = planOf(await validate(vc, good, drsOff));
    expect(plan.ignoredPoolFlags).toEqual([]);
    expect(plan.warnings).toHaveLength(1);
  });

  test('a VM of the same name in the root pool is a collision; telling VCH from VM costs one more round trip', async () => {
    const run = await validate(vc, { ...good, name: 'DC0_C0_RP0_VM0' }, drsOff);
    expect(issueFor(run, '--name', 'Found virtual machine "DC0_C0_RP0_VM0", but it is not a VCH. Please choose a different name.')).toBeDefined();
    expect(run.trips).toEqual({ RetrievePropertiesEx: 3 });
  });

  test('--affinity-vm-group needs DRS', async () => {
    issueFor(await validate(vc, { ...good, affinityVmGroup: true }, drsOff), '--affinity-vm-group', 'DRS VM Groups may not be used without DRS');
    planOf(await validate(vc, { ...good, affinityVmGroup: true }));
  });
});

describe('compute resource issues', () => {
  test('none given with two compute resources: the original message and both suggested', async () => {
    const i = issueFor(await validate(vc, { ...good, computeResource: '' }), '--compute-resource',
      'No unambiguous default compute resource available: --compute-resource must be specified');
    expect(i.suggestions).toEqual(['DC0_C0', 'DC0_H0']);
    expect(i.code).toBe('compute-resource-required');
  });

  test('not found: everything that exists is listed', async () => {
    const i = issueFor(await validate(vc, { ...good, computeResource: 'fake' }), '--compute-resource', "compute resource 'fake' not found");
    expect(i.suggestions).toEqual(['DC0_C0', 'DC0_H0', 'DC0_C0/Resources/DC0_C0_APP0', 'DC0_C0/Resources/DC0_C0_RP1']);
  });

  test('cluster/pool without Resources is refused as by the original, with the path that works first', async () => {
    const i = issueFor(await validate(vc, { ...good, computeResource: 'DC0_C0/DC0_C0_RP1' }), '--compute-resource',
      `compute resource 'DC0_C0/DC0_C0_RP1' not found (did you mean "DC0_C0/Resources/DC0_C0_RP1"?)`);
    expect(i.suggestions![0]).toBe('DC0_C0/Resources/DC0_C0_RP1');
  });

  test('ambiguous pool paths list the matches', async () => {
    for (const q of ['Resources', '*']) {
      const i = issueFor(await validate(vc, { ...good, computeResource: q }), '--compute-resource', `path '${q}' resolves to multiple resource pools`);
      expect(i.suggestions).toContain('DC0_C0/Resources');
      expect(i.suggestions).toContain('DC0_H0/Resources');
    }
  });

  test('a host inside a cluster names the cluster to use instead', async () => {
    const i = issueFor(await validate(vc, { ...good, computeResource: 'DC0_C0_H1' }), '--compute-resource', '"DC0_C0_H1" is a host in cluster "DC0_C0"');
    expect(i.suggestions).toEqual(['DC0_C0', 'DC0_C0/Resources/DC0_C0_APP0', 'DC0_C0/Resources/DC0_C0_RP1']);
  });

  test('an absolute path into another datacenter', async () => {
    issueFor(await validate(vc, { ...good, computeResource: '/DC1/host/DC0_C0' }), '--compute-resource', `compute resource '/DC1/host/DC0_C0' not found in datacenter "DC0"`);
  });
});

describe('storage issues', () => {
  test('image datastore not found, and no default among two', async () => {
    const i = issueFor(await validate(vc, { ...good, imageStore: 'nods/images' }), '--image-store', "datastore 'nods' not found");
    expect(i.suggestions).toEqual(['LocalDS_0', 'LocalDS_1']);
    const d = issueFor(await validate(vc, { ...good, imageStore: '' }), '--image-store', 'No unambiguous default datastore available: --image-store must be specified');
    expect(d.suggestions).toEqual(['LocalDS_0', 'LocalDS_1']);
    expect(d.code).toBe('datastore-required');
    await expect(validate(vc, { ...good, imageStore: 'http://LocalDS_0/x' })).rejects.toThrow('bad scheme "http" provided for datastore');
  });

  test('datastore names with spaces and parentheses, in every form', async () => {
    const spaced: Patch = (_obj, props) => {
      if (props['name'] === 'LocalDS_1') props['name'] = 'Local DS (1)';
      const s = props['summary'] as Props | undefined;
      if (s?.['name'] === 'LocalDS_1') s['name'] = 'Local DS (1)';
    };
    for (const spec of ['Local DS (1)/images', 'ds://Local DS (1)/images', '[Local DS (1)] images', 'Local%20DS%20(1)/images']) {
      const plan = planOf(await validate(vc, { ...good, imageStore: spec, volumeStores: ['Local DS (1)/vols:v'] }, spaced));
      expect(plan.imageStore).toMatchObject({ datastore: { name: 'Local DS (1)' }, path: 'images', url: 'ds://Local DS (1)/images' });
      expect(plan.volumeStores[0]).toMatchObject({ url: 'ds://Local DS (1)/vols' });
    }
  });

  test('volume store problems name --volume-store and suggest datastore:label values', async () => {
    const run = await validate(vc, { ...good, volumeStores: ['nope/x:v1'] });
    expect(issueFor(run, '--volume-store', `datastore 'nope' not found (volume store "v1")`).suggestions).toEqual(['LocalDS_0:v1', 'LocalDS_1:v1']);
    // NFS targets without a path or host are refused when the value is parsed (test/unit/spec/values-spellings.test.ts)
    await expect(validate(vc, { ...good, volumeStores: ['nfs://10.0.0.5:n1'] })).rejects.toThrow('volume store target (nfs://10.0.0.5) is missing the path field');
  });

  test('storage quota larger than the image datastore', async () => {
    issueFor(await validate(vc, { ...good, storageQuotaGB: 1e6 }), '--storage-quota', /^Storage quota exceeds datastore free space: 1000000 GB requested, [\d.]+ GB free on "LocalDS_0"$/);
  });

  describe('datastores the cluster hosts do not all see', () => {
    // which hosts see which datastore: both the Datastore's host mounts and the HostSystem's datastore list change
    const mounts = (see: Record<string, number[]>): Patch => {
      const names = new Map<string, string>(); // datastore moref value → name
      for (const o of inv.objects) if (o.ref.type === 'Datastore') names.set(o.ref.value, o.name);
      const hostIndex = (r: MoRef): number => [0, 1, 2].find((n) => eq(byPath(inv, H(n)).ref, r)) ?? -1;
      return (obj, props) => {
        if (obj.type === 'Datastore' && props['host']) {
          const ds = names.get(obj.value)!;
          props['host'] = (props['host'] as { key: MoRef }[]).filter((m) => hostIndex(m.key) < 0 || see[ds]!.includes(hostIndex(m.key)));
        }
        if (obj.type === 'HostSystem' && props['datastore'] && hostIndex(obj) >= 0) {
          props['datastore'] = (props['datastore'] as MoRef[]).filter((d) => see[names.get(d.value)!]!.includes(hostIndex(obj)));
        }
      };
    };
    const twoStores: ValidateCreateInput = { ...good, imageStore: 'LocalDS_0', volumeStores: ['LocalDS_1/v:default'] };

    test('a datastore no cluster host mounts', async () => {
      const i = issueFor(await validate(vc, twoStores, mounts({ LocalDS_0: [0, 1, 2], LocalDS_1: [] })), '--volume-store',
        'Datastore "LocalDS_1" is not accessible by the compute resource "DC0_C0"');
      expect(i.suggestions).toEqual(['LocalDS_0']);
    });

    test('no single host sees all the datastores', async () => {
      issueFor(await validate(vc, twoStores, mounts({ LocalDS_0: [0], LocalDS_1: [1, 2] })), '--volume-store',
        'No single host can access all of the requested datastores. Installation cannot continue. (hosts per datastore: "LocalDS_0": DC0_C0_H0; "LocalDS_1": DC0_C0_H1, DC0_C0_H2)');
    });

    test('exactly one host sees them all: a warning, and the plan runs on it', async () => {
      const plan = planOf(await validate(vc, twoStores, mounts({ LocalDS_0: [0, 2], LocalDS_1: [1, 2] })));
      expect(plan.hosts.map((h) => h.path)).toEqual([H(2)]);
      expect(plan.warnings).toEqual(['Only one host can access all of the image/volume datastores. This may be a point of contention/performance degradation and HA/DRS may not work as intended.']);
    });
  });
});

describe('network issues', () => {
  test('a public network that does not exist: one issue, every network listed, no uplink port group', async () => {
    const run = await validate(vc, { ...good, publicNetwork: 'nope' });
    const i = issueFor(run, '--public-network', "Error checking network for --public-network: network 'nope' not found");
    expect(i.suggestions).toEqual(['DC0_DVPG0', 'DC0_DVPG1', 'VM Network']);
    expect(issuesOf(run)).toHaveLength(1); // client and management default to it and are not reported again
  });

  test('client and management networks are checked on their own flags', async () => {
    const run = await validate(vc, { ...good, clientNetwork: 'c-nope', managementNetwork: 'm-nope' });
    issueFor(run, '--client-network', "network 'c-nope' not found");
    issueFor(run, '--management-network', "network 'm-nope' not found");
  });

  test('the bridge on vCenter must be an existing distributed port group', async () => {
    const missing = issueFor(await validate(vc, { ...good, bridgeNetwork: undefined }), '--bridge-network',
      "An existing distributed port group or opaque network must be specified for bridge network on vCenter: network 'vch1' not found");
    expect(missing.suggestions).toEqual(['DC0_DVPG0', 'DC0_DVPG1']);
    const run = await validate(vc, { ...good, bridgeNetwork: 'VM Network' });
    issueFor(run, '--bridge-network', '"VM Network" is not a Distributed Port Group or an Opaque Network');
  });

  test('the bridge must not be shared with another role or a container network', async () => {
    issueFor(await validate(vc, { ...good, publicNetwork: 'DC0_DVPG0' }), '--bridge-network',
      'the bridge network must not be shared with another network role - public also uses "DC0_DVPG0"');
    issueFor(await validate(vc, { ...good, managementNetwork: 'DC0_DVPG0' }), '--bridge-network', 'management also uses "DC0_DVPG0"');
    issueFor(await validate(vc, { ...good, containerNetworks: [{ vsphereName: 'DC0_DVPG0', alias: 'cn' }] }), '--container-network',
      'the bridge network must not be shared with another network role - "DC0_DVPG0" also mapped as container network "cn"');
  });

  test('container networks: must exist, and be distributed on vCenter', async () => {
    const run = await validate(vc, { ...good, containerNetworks: [{ vsphereName: 'nope', alias: 'a' }, { vsphereName: 'VM Network', alias: 'b' }] });
    expect(issueFor(run, '--container-network', `Error adding container network "a": network 'nope' not found`).suggestions).toEqual(['DC0_DVPG0', 'DC0_DVPG1']);
    issueFor(run, '--container-network', 'Error adding container network "b": "VM Network" is not a Distributed Port Group or an Opaque Network');
  });

  test('every cluster host must be on the bridge port group', async () => {
    const dvpg0 = byPath(inv, '/DC0/network/DC0_DVPG0').ref;
    const h2 = byPath(inv, H(2)).ref;
    const run = await validate(vc, good, (obj, props) => {
      if (eq(obj, dvpg0) && props['host']) props['host'] = (props['host'] as MoRef[]).filter((h) => !eq(h, h2));
      if (eq(obj, h2) && props['network']) props['network'] = (props['network'] as MoRef[]).filter((n) => !eq(n, dvpg0));
    });
    issueFor(run, '--bridge-network', `All cluster hosts must be in the vDS or Opaque Network. "DC0_DVPG0" is missing hosts: [${H(2)}]`);
  });

  test('an opaque (NSX-T) network serves as bridge', async () => {
    const dvpg1 = byPath(inv, '/DC0/network/DC0_DVPG1').ref;
    const plan = planOf(await validate(vc, { ...good, bridgeNetwork: 'DC0_DVPG1' }, (obj, props) => {
      if (!eq(obj, dvpg1)) return undefined;
      props['summary'] = { opaqueNetworkId: 'nsx-42', opaqueNetworkType: 'nsx.LogicalSwitch' };
      return { type: 'OpaqueNetwork', value: obj.value };
    }));
    expect(plan.networks.bridge).toMatchObject({ type: 'OpaqueNetwork', name: 'DC0_DVPG1', opaque: { id: 'nsx-42', type: 'nsx.LogicalSwitch' } });
  });
});

describe('host firewall: outbound 2377/tcp', () => {
  const fwOf = (n: number): MoRef => byPath(inv, H(n)).props['configManager.firewallSystem'] as MoRef;

  test('a host that blocks it is named, with the update firewall command for this target', async () => {
    await withSession(vc, (s) => DisableRuleset(s, { _this: fwOf(1), id: 'vSPC' }));
    try {
      const run = await validate(vc, { ...good, thumbprint: vc.thumbprintSHA1 });
      const i = issueFor(run, '--compute-resource', `Firewall configuration incorrect on hosts: "${H(1)}". Firewall must permit dst 2377/tcp outbound to the VCH management interface`);
      expect(i.fix).toBe(`vic-machine update firewall --target 127.0.0.1/DC0 --thumbprint ${vc.thumbprintSHA1} --compute-resource DC0_C0 --allow`);
      expect(issuesOf(run)).toHaveLength(1);
    } finally {
      await withSession(vc, (s) => EnableRuleset(s, { _this: fwOf(1), id: 'vSPC' }));
    }
    planOf(await validate(vc, good));
  });

  test('a ruleset restricted to some addresses: the static management address must be among them', async () => {
    const restrict = (allowedHosts: { ipAddress?: string[]; allIp: boolean }) => withSession(vc, (s) => UpdateRuleset(s, { _this: fwOf(0), id: 'vSPC', spec: { allowedHosts } }));
    await restrict({ ipAddress: ['10.0.0.5'], allIp: false });
    try {
      // (a static management address needs a port group of its own: on the public one, only --public-network-ip sets it)
      const excluded = await validate(vc, { ...good, managementNetwork: 'DC0_DVPG1', staticIp: { management: { ip: '10.0.0.6/24' } } });
      issueFor(excluded, '--compute-resource', `Firewall configuration incorrect due to allowed IP restrictions on hosts: "${H(0)}". Firewall must permit dst 2377/tcp outbound to the VCH management interface 10.0.0.6 (allowed IPs: [10.0.0.5])`);
      planOf(await validate(vc, { ...good, managementNetwork: 'DC0_DVPG1', staticIp: { management: { ip: '10.0.0.5/24' } } }));
      const dhcp = planOf(await validate(vc, good));
      expect(dhcp.warnings).toEqual([expect.stringMatching(/^Unable to fully verify firewall configuration due to DHCP use on management network/)]);
    } finally {
      await restrict({ allIp: true });
    }
  });
});

test('license without the serial port concentrator and distributed switch features', async () => {
  const run = await validate(vc, good, (obj, props) => {
    if (obj.type === 'LicenseManager') props['licenses'] = [{ name: 'vSphere Standard', properties: [{ key: 'feature', value: { key: 'vmotion' } }] }];
  });
  issueFor(run, '--target', 'License does not meet minimum requirements to use VIC: no license has the features "serialuri", "dvs" (licenses: "vSphere Standard")');
});

test('every problem is reported together, each with its flag', async () => {
  const run = await validate(vc, {
    name: 'bad/name', computeResource: 'fake', imageStore: 'nods', publicNetwork: 'nope', bridgeNetwork: 'VM Network',
    containerNetworks: [{ vsphereName: 'DC0_DVPG1', alias: 'cn', firewall: 'wide' }], volumeStores: ['nods2:v'],
  });
  expect(issuesOf(run).map((i) => i.flag)).toEqual(['--name', '--container-network-firewall', '--compute-resource', '--image-store', '--volume-store', '--public-network', '--bridge-network']);
});

test('round trips do not grow with the number of VMs', async () => {
  const big = await startVcsim({ firewallOpen: true, model: { ds: 2, pool: 1, app: 1, vm: 60 } });
  try {
    const drsOff: Patch = (obj, props) => {
      if (obj.type === 'ClusterComputeResource' && props['configurationEx']) props['configurationEx'] = { drsConfig: { enabled: false } };
    };
    for (const [input, edit] of [[good, undefined], [good, drsOff], [{ ...good, computeResource: 'DC0_H0' }, undefined]] as const) {
      const small = await validate(vc, input, edit);
      const large = await validate(big, input, edit);
      planOf(small);
      planOf(large);
      expect(large.trips).toEqual(small.trips);
      expect(small.trips).toEqual({ RetrievePropertiesEx: 2 });
    }
  } finally {
    await big.stop();
  }
});

// ---------------------------------------------------------------------------------------------------------------

describe('datacenters', () => {
  let multi: Vcsim; // DC0, and DC1 inside folder F0 (its compute resources inside host folder F0)
  beforeAll(async () => {
    multi = await startVcsim({ firewallOpen: true, model: { dc: 2, folder: 1 } });
  });
  afterAll(async () => {
    await multi?.stop();
  });

  test('none in --target with two: the original message, both suggested', async () => {
    const i = issueFor(await validate(multi, { ...good }), '--target', 'Datacenter must be specified in --target (e.g. https://addr/datacenter)');
    expect(i.suggestions).toEqual(['DC0', 'F0/DC1']);
    expect(i.code).toBe('datacenter-required');
  });

  test('not found', async () => {
    const i = issueFor(await validate(multi, { ...good, datacenter: 'fakeDC' }), '--target', 'Datacenter "fakeDC" in --target is not found');
    expect(i.suggestions).toEqual(['DC0', 'F0/DC1']);
  });

  test('a cluster in the --target path: the original message, and where each part goes', async () => {
    const i = issueFor(await validate(multi, { ...good, datacenter: 'DC0/host/DC0_C0' }), '--target',
      '--target should only specify datacenter in the path (e.g. https://addr/datacenter) - specify cluster, resource pool, or folder with --compute-resource (here: --target .../DC0 --compute-resource "DC0_C0")');
    expect(i.suggestions).toEqual(['DC0', 'F0/DC1']);
  });

  test.each(['F0/DC1', 'DC1', '/F0/DC1'])('a datacenter inside a folder, as %s, with paths relative to it', async (dc) => {
    const plan = planOf(await validate(multi, { name: 'vch1', datacenter: dc, computeResource: 'F0/DC1_C0', bridgeNetwork: 'DC1_DVPG0' }));
    expect(plan.datacenter).toMatchObject({ name: 'DC1', path: '/F0/DC1' });
    expect(plan.compute.path).toBe('/F0/DC1/host/F0/DC1_C0');
    expect(plan.imageStore.datastore.path).toBe('/F0/DC1/datastore/F0/LocalDS_0');
  });

  test('compute suggestions are relative to the datacenter host folder', async () => {
    const i = issueFor(await validate(multi, { name: 'vch1', datacenter: 'DC1', bridgeNetwork: 'DC1_DVPG0' }), '--compute-resource', 'No unambiguous default');
    expect(i.suggestions).toEqual(['F0/DC1_C0', 'F0/DC1_H0']);
  });
});

describe('name collisions (vCenter)', () => {
  let col: Vcsim;
  let cinv: Inventory;
  const spec = { cpuAllocation: alloc(), memoryAllocation: alloc() };
  function alloc() {
    return { reservation: 0, expandableReservation: true, limit: -1, shares: { shares: 0, level: 'normal' } };
  }
  async function vm(s: Session, pool: MoRef, name: string, vch: boolean): Promise<void> {
    const config: Props = { name, guestId: 'otherGuest64', files: { vmPathName: '[LocalDS_0]' } };
    if (vch) config['extraConfig'] = [{ key: VCH_ID_KEY, value: 'CreatingVCH' }];
    await runTask(s, CreateVM_Task, { _this: byPath(cinv, '/DC0/vm').ref, config, pool });
  }

  beforeAll(async () => {
    col = await startVcsim({ firewallOpen: true });
    cinv = await inventoryOf(col);
    await withSession(col, async (s) => {
      const root = byPath(cinv, `${C}/Resources`).ref;
      const pool = (name: string, parent = root) => CreateResourcePool(s, { _this: parent, name, spec });
      await vm(s, await pool('vchX'), 'vchX', true);
      await vm(s, await pool('vchY'), 'vchY', false);
      await pool('vchE');
      await pool('inner', await pool('vchN'));
      await CreateFolder(s, { _this: byPath(cinv, '/DC0/vm').ref, name: 'vchF' });
    });
  });
  afterAll(async () => {
    await col?.stop();
  });

  test('a VCH of that name in its pool', async () => {
    const run = await validate(col, { ...good, name: 'vchX' });
    issueFor(run, '--name', 'A VCH with the name "vchX" already exists. Please choose a different name before attempting another install');
    expect(run.trips).toEqual({ RetrievePropertiesEx: 3 });
  });

  test('a VM that is not a VCH', async () => {
    issueFor(await validate(col, { ...good, name: 'vchY' }), '--name', 'Found virtual machine "vchY", but it is not a VCH. Please choose a different name.');
  });

  test('a non-empty pool of that name', async () => {
    issueFor(await validate(col, { ...good, name: 'vchN' }), '--name', 'A resource pool named "vchN" already exists in "DC0_C0/Resources" and is not empty (0 VMs, 1 pools)');
  });

  test('an empty pool of that name is reused, with a warning', async () => {
    const plan = planOf(await validate(col, { ...good, name: 'vchE' }));
    expect(refIn([plan.vchPool.existing], byPath(await inventoryOf(col), `${C}/Resources/vchE`).ref)).toBe(true);
    expect(plan.warnings).toEqual([`The empty resource pool "${C}/Resources/vchE" already exists and will be used for the VCH`]);
  });

  test('a VM folder of that name', async () => {
    issueFor(await validate(col, { ...good, name: 'vchF' }), '--name', 'The specified VCH name (vchF) is already in use: VM folder "/DC0/vm/vchF" exists');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('ESXi', () => {
  let esx: Vcsim; // firewall closed, as on a fresh ESXi 6.5
  let einv: Inventory;
  const host = '/ha-datacenter/host/localhost.localdomain/localhost.localdomain';
  beforeAll(async () => {
    esx = await startVcsim({ esx: true });
    einv = await inventoryOf(esx);
  });
  afterAll(async () => {
    await esx?.stop();
  });
  const fw = (): MoRef => byPath(einv, host).props['configManager.firewallSystem'] as MoRef;

  test('a closed firewall names the host and the command that opens it', async () => {
    const run = await validate(esx, { name: 'vch1', target: '127.0.0.1' });
    const i = issueFor(run, '--target', `Firewall configuration incorrect on hosts: "${host}". Firewall must permit dst 2377/tcp outbound to the VCH management interface`);
    expect(i.fix).toBe('vic-machine update firewall --target 127.0.0.1 --allow');
    expect(issuesOf(run)).toHaveLength(1);
  });

  describe('with the firewall open', () => {
    beforeAll(async () => {
      await withSession(esx, (s) => EnableRuleset(s, { _this: fw(), id: 'vSPC' }));
    });

    test('success: the bridge port group is created later; the VCH pool goes under the host root pool', async () => {
      const run = await validate(esx, { name: 'vch1', volumeStores: ['LocalDS_0/vch1-VOL:default'] });
      const plan = planOf(run);
      expect(run.trips).toEqual({ RetrievePropertiesEx: 2 });
      expect(plan.isVC).toBe(false);
      expect(plan.datacenter).toMatchObject({ name: 'ha-datacenter', path: '/ha-datacenter' });
      expect(plan.compute).toMatchObject({ type: 'ComputeResource', name: 'localhost.localdomain', drsEnabled: undefined });
      expect(plan.vchPool).toMatchObject({ path: '/ha-datacenter/host/localhost.localdomain/Resources/vch1', useParent: false });
      expect(plan.placementHost).toEqual(byPath(einv, host).ref);
      expect(plan.createBridge).toEqual({ name: 'vch1', host: byPath(einv, host).ref, hostNetworkSystem: byPath(einv, host).props['configManager.networkSystem'] });
      expect(plan.networks.bridge).toBeUndefined();
      expect(plan.networks.public).toMatchObject({ name: 'VM Network', type: 'Network' });
      expect(plan.imageStore.url).toBe('ds://LocalDS_0');
      expect(plan.notes).toEqual(['Using default datastore: LocalDS_0']);
      expect(plan.setPersistNetworkBacking).toBe(false);
    });

    test('an existing port group serves as bridge', async () => {
      await withSession(esx, async (s) => {
        const ns = byPath(einv, host).props['configManager.networkSystem'] as MoRef;
        await AddVirtualSwitch(s, { _this: ns, vswitchName: 'br0', spec: { numPorts: 1024 } });
        await AddPortGroup(s, { _this: ns, portgrp: { name: 'br0', vlanId: 1, vswitchName: 'br0', policy: {} } });
      });
      const plan = planOf(await validate(esx, { name: 'vch1', bridgeNetwork: 'br0' }));
      expect(plan.createBridge).toBeUndefined();
      expect(plan.networks.bridge).toMatchObject({ name: 'br0', type: 'Network' });
    });

    test('a bridge named like the public network', async () => {
      issueFor(await validate(esx, { name: 'vch1', bridgeNetwork: 'VM Network' }), '--bridge-network',
        'the bridge network must not be shared with another network role - public also uses "VM Network"');
    });

    test('a VM of that name', async () => {
      issueFor(await validate(esx, { name: 'ha-host_VM0' }), '--name', 'Found virtual machine "ha-host_VM0", but it is not a VCH. Please choose a different name.');
    });

    test('a host managed by vCenter', async () => {
      const i = issueFor(await validate(esx, { name: 'vch1' }, (obj, props) => {
        if (obj.type === 'HostSystem') props['summary.managementServerIp'] = '10.1.1.1';
      }), '--target', 'Target is managed by vCenter server "10.1.1.1", please change --target to vCenter server address or select a standalone ESXi');
      expect(i.suggestions).toEqual(['10.1.1.1']);
    });

    test('--affinity-vm-group needs vCenter; --compute-resource names what exists', async () => {
      issueFor(await validate(esx, { name: 'vch1', affinityVmGroup: true }), '--affinity-vm-group', 'DRS VM Groups may only be configured when using VC');
      const i = issueFor(await validate(esx, { name: 'vch1', computeResource: 'fake' }), '--compute-resource', "compute resource 'fake' not found");
      expect(i.suggestions).toEqual(['localhost.localdomain']);
      planOf(await validate(esx, { name: 'vch1', computeResource: 'localhost.localdomain' }));
    });

    test('a datacenter that does not exist', async () => {
      const i = issueFor(await validate(esx, { name: 'vch1', datacenter: 'fakeDC' }), '--target', 'Datacenter "fakeDC" in --target is not found');
      expect(i.suggestions).toEqual(['ha-datacenter']);
    });
  });
});

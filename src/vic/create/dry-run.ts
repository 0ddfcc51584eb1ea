// `create --dry-run`: what a create would make, worked out from the same validated plan that provisioning follows
// (so the two cannot disagree), for an admin to review or a runbook to attach to a ticket. Nothing is created in
// vSphere or on the local disk.
import type { CertificatePlan } from '../certificates/index.js';
import { isoDatastoreName, type IsoVersion } from '../iso/index.js';
import { formatIpv4, type Ipv4Cidr } from '../spec/values/ipv4.js';
import type { CreatePlan } from '../validate/index.js';
import { planNics, type NetworkRole, type PortGroup } from './appliance-spec.js';
import type { Allocation } from './provision.js';

export type Topology = 'vcenter-drs' | 'vcenter-no-drs' | 'esxi';

export interface DryRunAction {
  /** what kind of object */
  object: 'resource pool' | 'vSwitch' | 'port group' | 'VM folder' | 'virtual machine' | 'datastore folder' | 'upload'
    | 'advanced option' | 'local file' | 'power on' | 'roles and permissions' | 'DRS VM group';
  /** "create", "reuse", "set", "upload", "write", "power on" */
  action: string;
  /** the object's name or path, as it will appear in vSphere or on disk */
  target: string;
  /** details worth reviewing (sizes, limits, NIC slots) */
  details?: string;
}

export interface CreateDryRun {
  dryRun: true;
  name: string;
  topology: Topology;
  datacenter: string;
  computeResource: string;
  /** every object create would make or change, in the order it would */
  actions: DryRunAction[];
  /** the appliance's NICs: one per distinct port group, with the roles it carries */
  nics: { portGroup: string; roles: NetworkRole[]; pciSlot: number }[];
  tls: CertificatePlan['mode'];
  /** the same objects by kind, for a reader that shows them (the REST API's plan, the console's summary) */
  made: PlannedObjects;
  warnings: string[];
  notes: string[];
}

/** What create would make, by kind: names and paths as they will be in vSphere. */
export interface PlannedObjects {
  /** the VCH's resource pool (or vApp's pool); `reuse` when DRS is off or an empty pool of the name exists */
  resourcePool: { path: string; action: 'create' | 'reuse' };
  /** vCenter: the VM folder named after the VCH */
  vmFolder?: string;
  vm: { name: string; cpus: number; memoryMB: number; datastore: string; folder: string };
  /** the image store (ds://datastore[/path]) */
  imageStore: string;
  /** datastore folders made: the VM's folder, and each volume store's folder if missing */
  datastoreFolders: { path: string; purpose: string }[];
  uploads: { name: string; to: string; bytes: number }[];
  /** each appliance network role and its port group; `create` for a bridge port group made on ESXi */
  networks: { role: NetworkRole; portGroup: string; action: 'use' | 'create' }[];
  containerNetworks: { alias: string; portGroup: string }[];
  volumeStores: { label: string; url: string }[];
  /** certificates create generates, or takes as given */
  certificates: { kind: 'CA' | 'server' | 'client'; action: 'generate' | 'use given'; subject?: string; altNames?: string[] }[];
  /** DOCKER_HOST, when the client network's address is static (with DHCP it is known once the appliance reports it) */
  dockerHost?: string;
}

export interface DryRunInput {
  plan: CreatePlan;
  certificates: CertificatePlan;
  isos: Record<'appliance' | 'bootstrap', { path: string; version: IsoVersion; size: number }>;
  cpu: Allocation;
  memory: Allocation;
  endpointCpu: number;
  endpointMemoryMB: number;
  /** --ops-grant-perms: the ops user that gets the vic-vch-* roles */
  grantPermsTo?: string | undefined;
  affinityVmGroup?: boolean | undefined;
  /** the appliance networks' static addresses, as parsed (DOCKER_HOST is the client network's) */
  staticIp?: Partial<Record<'public' | 'client' | 'management', { ip: Ipv4Cidr }>> | undefined;
}

function topologyOf(plan: CreatePlan): Topology {
  if (!plan.isVC) return 'esxi';
  return plan.vchPool.useParent ? 'vcenter-no-drs' : 'vcenter-drs';
}

function allocationText(kind: 'CPU' | 'memory', a: Allocation): string | undefined {
  const unit = kind === 'CPU' ? 'MHz' : 'MB';
  const parts = [
    a.limit ? `limit ${a.limit} ${unit}` : undefined,
    a.reservation ? `reservation ${a.reservation} ${unit}` : undefined,
    a.shares !== undefined && String(a.shares) !== 'normal' ? `shares ${a.shares}` : undefined,
  ].filter(Boolean);
  return parts.length ? `${kind} ${parts.join(', ')}` : undefined;
}

const MIB = 1024 * 1024;

export function describeDryRun(i: DryRunInput): CreateDryRun {
  const { plan } = i;
  const actions: DryRunAction[] = [];
  const poolSettings = [allocationText('CPU', i.cpu), allocationText('memory', i.memory)].filter(Boolean).join('; ');
  if (plan.vchPool.useParent) {
    actions.push({ object: 'resource pool', action: 'reuse', target: plan.vchPool.path, details: 'the cluster has DRS off: the VCH lives in its root pool' });
  } else if (plan.vchPool.existing) {
    actions.push({ object: 'resource pool', action: 'reuse', target: plan.vchPool.path, details: 'an empty pool of this name exists' });
  } else {
    actions.push({ object: 'resource pool', action: 'create', target: plan.vchPool.path, ...(poolSettings ? { details: poolSettings } : {}) });
  }
  if (plan.createBridge) {
    actions.push({ object: 'vSwitch', action: 'create', target: plan.createBridge.name, details: 'for the bridge network (ESXi)' });
    actions.push({ object: 'port group', action: 'create', target: plan.createBridge.name, details: `on vSwitch ${plan.createBridge.name}` });
  }
  if (plan.setPersistNetworkBacking) {
    actions.push({ object: 'advanced option', action: 'set', target: 'config.vpxd.SerialPort.PersistNetworkBacking', details: 'true' });
  }
  if (plan.isVC) actions.push({ object: 'VM folder', action: 'create', target: `${plan.datacenter.path}/vm/${plan.name}` });

  const roles: Partial<Record<NetworkRole, PortGroup>> = {
    public: plan.networks.public, client: plan.networks.client, management: plan.networks.management,
    // A bridge that does not exist yet gets the name create gives it; its ref only matters for NIC sharing.
    bridge: plan.networks.bridge ?? { ref: { type: 'Network', value: `(new) ${plan.createBridge?.name ?? plan.name}` }, name: plan.createBridge?.name ?? plan.name },
  };
  const nics = planNics(roles).map((n) => ({ portGroup: n.portGroup.name, roles: n.roles, pciSlot: n.pciSlot }));
  const ds = plan.imageStore.datastore.name;
  actions.push({
    object: 'virtual machine', action: 'create', target: plan.name,
    details: `${i.endpointCpu} vCPU, ${i.endpointMemoryMB} MB, ${nics.length} NIC${nics.length === 1 ? '' : 's'}, files in [${ds}] ${plan.name}`,
  });
  for (const vs of plan.volumeStores) {
    if (vs.kind === 'datastore') actions.push({ object: 'datastore folder', action: 'create if missing', target: `[${vs.datastore.name}] ${vs.path}`, details: `volume store "${vs.label}"` });
  }
  for (const kind of ['appliance', 'bootstrap'] as const) {
    const iso = i.isos[kind];
    actions.push({
      object: 'upload', action: 'upload', target: `[${ds}] ${plan.name}/${isoDatastoreName(iso.version.raw, kind)}`,
      details: `${iso.path} (${(iso.size / MIB).toFixed(1)} MiB)`,
    });
  }
  actions.push({ object: 'virtual machine', action: 'reconfigure', target: plan.name, details: 'CD-ROM on the appliance ISO; the VCH configuration in extraConfig' });
  if (i.grantPermsTo) {
    actions.push({ object: 'roles and permissions', action: 'grant', target: i.grantPermsTo, details: 'vic-vch-* roles (created if missing) on vCenter, datacenter, cluster, datastores, container networks and the VCH pool' });
  }
  if (i.affinityVmGroup) actions.push({ object: 'DRS VM group', action: 'create', target: plan.name, details: `on ${plan.compute.path}, holding the appliance` });
  actions.push({ object: 'power on', action: 'power on', target: plan.name });
  for (const f of i.certificates.files) {
    actions.push({ object: 'local file', action: 'write', target: `${i.certificates.certPathAbsolute}/${f.name}`, details: `mode ${f.mode.toString(8).padStart(4, '0')}` });
  }
  // The env file is written in every TLS mode (with --no-tls it holds DOCKER_HOST alone).
  actions.push({ object: 'local file', action: 'write', target: `${i.certificates.certPathAbsolute}/${plan.name}.env`, details: 'DOCKER_HOST and TLS settings' });
  return {
    dryRun: true, name: plan.name, topology: topologyOf(plan), datacenter: plan.datacenter.path, computeResource: plan.compute.pool.path,
    actions, nics, tls: i.certificates.mode, made: plannedObjects(i, nics), warnings: [...plan.warnings], notes: [...plan.notes],
  };
}

function plannedObjects(i: DryRunInput, nics: CreateDryRun['nics']): PlannedObjects {
  const { plan } = i;
  const ds = plan.imageStore.datastore.name;
  const c = i.certificates;
  const certificates: PlannedObjects['certificates'] = [];
  if (c.generate.ca) certificates.push({ kind: 'CA', action: 'generate' });
  else if (c.ca) certificates.push({ kind: 'CA', action: 'use given' });
  if (c.generate.server) {
    certificates.push({
      kind: 'server', action: 'generate', ...(c.cname ? { subject: `CN=${c.cname}` } : {}),
      altNames: [...c.serverAltNames.dns.map((d) => `DNS:${d}`), ...c.serverAltNames.ip.map((a) => `IP:${a}`)],
    });
  } else if (c.server) certificates.push({ kind: 'server', action: 'use given' });
  if (c.generate.client) certificates.push({ kind: 'client', action: 'generate' });
  // the address the client role's NIC gets: a static address of any role sharing that NIC (1.5 requires them equal)
  const clientNic = nics.find((n) => n.roles.includes('client'));
  const ip = clientNic?.roles.map((r) => (r === 'bridge' ? undefined : i.staticIp?.[r]?.ip)).find(Boolean);
  return {
    resourcePool: { path: plan.vchPool.path, action: plan.vchPool.useParent || plan.vchPool.existing ? 'reuse' : 'create' },
    ...(plan.isVC ? { vmFolder: `${plan.datacenter.path}/vm/${plan.name}` } : {}),
    vm: { name: plan.name, cpus: i.endpointCpu, memoryMB: i.endpointMemoryMB, datastore: ds, folder: `[${ds}] ${plan.name}` },
    imageStore: plan.imageStore.url,
    datastoreFolders: [
      { path: `[${ds}] ${plan.name}`, purpose: 'the appliance VM\'s files and ISOs' },
      ...plan.volumeStores.flatMap((v) => (v.kind === 'datastore' ? [{ path: `[${v.datastore.name}] ${v.path}`, purpose: `volume store "${v.label}" (if missing)` }] : [])),
    ],
    uploads: (['appliance', 'bootstrap'] as const).map((kind) => ({
      name: isoDatastoreName(i.isos[kind].version.raw, kind), to: `[${ds}] ${plan.name}/${isoDatastoreName(i.isos[kind].version.raw, kind)}`, bytes: i.isos[kind].size,
    })),
    networks: (['public', 'client', 'management', 'bridge'] as const).map((role) => {
      const n = role === 'bridge' ? plan.networks.bridge : plan.networks[role];
      return { role, portGroup: n?.name ?? plan.createBridge?.name ?? plan.name, action: n ? 'use' as const : 'create' as const };
    }),
    containerNetworks: plan.networks.container.map((n) => ({ alias: n.alias, portGroup: n.network.name })),
    volumeStores: plan.volumeStores.map((v) => ({ label: v.label, url: v.url })),
    certificates,
    ...(ip ? { dockerHost: `${formatIpv4(ip.address)}:${c.mode === 'none' ? 2375 : 2376}` } : {}),
  };
}

/** The human form: one numbered line per action. */
export function formatDryRun(d: Omit<CreateDryRun, 'made'>): string[] {
  const topo = { 'vcenter-drs': 'vCenter, DRS on: a resource pool of its own', 'vcenter-no-drs': 'vCenter, DRS off: the cluster\'s root pool', esxi: 'standalone ESXi: a resource pool on the host' }[d.topology];
  const lines = [
    `Dry run: the configuration is valid; nothing was created.`,
    `VCH "${d.name}" in ${d.datacenter}, compute resource ${d.computeResource} (${topo}), TLS mode ${d.tls}.`,
    'create would:',
  ];
  d.actions.forEach((a, n) => lines.push(`  ${String(n + 1).padStart(2)}. ${a.action}${a.object === a.action ? '' : ` ${a.object}`} ${a.target}${a.details ? ` (${a.details})` : ''}`));
  lines.push('Appliance NICs:');
  for (const nic of d.nics) lines.push(`  PCI slot ${nic.pciSlot}: ${nic.portGroup} (${nic.roles.join(', ')})`);
  return lines;
}

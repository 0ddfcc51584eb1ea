// `configure` against vSphere (reference §5.3 step 12), in two parts:
//
// 1. prepareConfigure(): everything that can be decided before anything is changed — the port groups of
//    --container-network looked up, the rules applied to the decoded configuration (changes.ts), the pool's new
//    allocation (pool-settings.ts), the extraConfig entries to write (extra-config.ts). It reads nothing beyond what
//    locating the VCH read (the inventory, with the pools' allocation, and the VM's extraConfig), so a request that
//    breaks a rule fails with every problem at once and no change made.
// 2. configureSteps(): the changes, in 1.5's order — pool allocation (with its own undo: a VM snapshot does not
//    cover the pool), new volume-store folders, power off, the new extraConfig, power on, wait for the appliance
//    and its Docker API as create does — for the maintenance
//    runner (src/vic/maintenance), which holds the lock, snapshots the appliance first and reverts it on failure.
import path from 'node:path';
import { parseIpv4, parseIpv4Cidr } from '../spec/values/ipv4.js';
import { parseIpv4Range } from '../spec/values/ip-range.js';
import { InvalidValueError } from '../spec/values/value-error.js';
import type { Located } from '../vch/locate.js';
import { decodeCreatedFolders, encodeCreatedFolders, type CreatedFolder } from '../config/created-folders.js';
import { PowerOffVM_Task, PowerOnVM_Task, ReconfigVM_Task, UpdateConfig } from '../../vim/methods.generated.js';
import type { Session } from '../../vim/session.js';
import { DatastoreFiles } from '../../vim/datastore-files.js';
import type { MoRef } from '../../vim/types.js';
import { runTask } from '../../vim/task.js';
import { decodeVchConfigDetailed, dockerApiPort, SecretKey, type DecodedVch } from '../config/index.js';
import { holderText } from '../maintenance/lock.js';
import { readVchSecretKey } from '../maintenance/ovf-env.js';
import { runMaintenance, type MaintenanceReport } from '../maintenance/runner.js';
import { waitForAppliance, type DockerEndpoint } from '../appliance/wait-ready.js';
import { VchError } from '../vch/errors.js';
import { isContainerVm, networkNameOf, ownerOf } from '../vch/find.js';
import { addVmGroup, removeVmGroup } from '../appliance/vm-group.js';
import { grantOpsUserPermissions } from '../appliance/ops-permissions.js';
import { planConfigure, type ConfigurePlan, type ConfigureRequest, type NameLookup } from './changes.js';
import { extraConfigUpdate, optionValues, type ExtraConfigUpdate } from './extra-config.js';
import { allocationOf, poolChange, type Allocation, type PoolChange, type PoolRequest } from './pool-settings.js';
import type { ContainerNetworkSpec } from './request.js';

/** What locating the VCH must also read for configure: the allocation of pools and vApps. */
export const CONFIGURE_INVENTORY_PATHS: Partial<Record<string, string[]>> = {
  ResourcePool: ['config.cpuAllocation', 'config.memoryAllocation'],
  VirtualApp: ['config.cpuAllocation', 'config.memoryAllocation'],
};

export interface PreparedConfigure {
  decoded: DecodedVch;
  plan: ConfigurePlan;
  pool?: PoolChange;
  /** the VCH's pool or vApp */
  poolRef?: MoRef;
  poolBefore?: { cpuAllocation: Allocation; memoryAllocation: Allocation };
  extraConfig: ExtraConfigUpdate;
  /** nothing to write */
  empty: boolean;
}

/** Names of networks by stored moref (`DistributedVirtualPortgroup:dvportgroup-13`), from the inventory. */
export function networkNames(located: Pick<Located, 'scope'>): NameLookup {
  return { networkName: networkNameOf(located.scope) };
}

/** Looks up each --container-network's port group in the VCH's datacenter. */
function resolvePortGroups(located: Located, specs: ContainerNetworkSpec[]): NonNullable<ConfigureRequest['containerNetworks']> {
  const { finder } = located.scope;
  const dc = located.vch.datacenter;
  return specs.map((s) => {
    const hits = finder.findAll('network', s.portGroup, dc);
    if (hits.length !== 1) {
      const all = finder.all('network', dc).map((n) => `"${finder.relativePath(n, 'network')}"`).sort();
      throw new VchError(hits.length ? 'usage' : 'not-found',
        hits.length ? `--container-network port group "${s.portGroup}" matches ${hits.length} networks` : `--container-network port group "${s.portGroup}" not found`,
        all.length ? `suggested values: ${all.join(', ')}` : undefined, '--container-network', hits.length ? 'network-ambiguous' : 'network-not-found');
    }
    const ref = hits[0]!.ref;
    // the values parsed by their one parser each (src/vic/spec/values/): the configuration is built from them
    const parsed = <T>(flag: string, text: string, parse: (t: string) => T): T => {
      try {
        return parse(text);
      } catch (e) {
        if (e instanceof InvalidValueError) throw new VchError('usage', `Error parsing container network parameter ${s.portGroup}:${text}: ${e.detail}`, undefined, flag);
        throw e;
      }
    };
    return {
      portGroup: s.portGroup, alias: s.alias, moref: `${ref.type}:${ref.value}`,
      ...(s.gateway ? { gateway: parsed('--container-network-gateway', s.gateway, parseIpv4Cidr) } : {}),
      ...(s.ipRanges ? { ipRanges: s.ipRanges.map((r) => parsed('--container-network-ip-range', r, parseIpv4Range)) } : {}),
      ...(s.dns ? { dns: s.dns.map((d) => parsed('--container-network-dns', d, parseIpv4)) } : {}),
      ...(s.firewall ? { firewall: s.firewall } : {}),
    };
  });
}

export interface PrepareInput {
  request: Omit<ConfigureRequest, 'containerNetworks'>;
  containerNetworks?: ContainerNetworkSpec[];
  pool: PoolRequest;
  /** the key that unseals the VCH's secrets (from the .vmx on vSphere); absent: guestinfo.ovfEnv as read */
  secretKey?: SecretKey;
}

export function prepareConfigure(located: Located, input: PrepareInput): PreparedConfigure {
  const { vch } = located;
  const decoded = decodeVchConfigDetailed(vch.extraConfig, input.secretKey ? { secretKey: input.secretKey } : {});
  if (!decoded.secretKey || decoded.errors.length) {
    throw new VchError('internal', `cannot read the secrets of VCH "${vch.name}": ${decoded.errors.map((e) => e.error).join('; ') || 'its secret key (guestinfo.ovfEnv) was not found'}`,
      'configure rewrites the whole configuration and must not write secrets it could not read');
  }
  const request: ConfigureRequest = { ...input.request, vchName: vch.name };
  if (input.containerNetworks) request.containerNetworks = resolvePortGroups(located, input.containerNetworks);
  if (request.volumeStores && request.defaultDatastore === undefined) {
    const image = decoded.config.storage.imageStores[0]?.host;
    if (image) request.defaultDatastore = image;
  }
  const plan = planConfigure(decoded.config, request, networkNames(located));
  if (plan.vmGroup && ownerOf(located.scope.inventory, vch.resourcePool)?.ref.type !== 'ClusterComputeResource') {
    plan.problems.push({ code: 'affinity-group-unsupported', flag: '--affinity-vm-group', message: 'DRS VM Groups may only be configured on a vCenter cluster with DRS; this VCH is not in one' });
  }

  const out: PreparedConfigure = { decoded, plan, extraConfig: { entries: {}, encoded: {} }, empty: true };
  const poolObj = located.scope.inventory.get(vch.resourcePool);
  if (poolObj) {
    out.poolRef = poolObj.ref;
    const before = {
      cpuAllocation: allocationOf(poolObj.props['config.cpuAllocation'] as Partial<Allocation> | undefined),
      memoryAllocation: allocationOf(poolObj.props['config.memoryAllocation'] as Partial<Allocation> | undefined),
    };
    out.poolBefore = before;
    const change = poolChange({ cpu: before.cpuAllocation, memory: before.memoryAllocation }, input.pool);
    if (change) out.pool = change;
  } else if (Object.keys(input.pool).length) {
    plan.problems.push({ code: 'vch-pool-not-found', flag: '--cpu', message: `the resource pool of VCH "${vch.name}" was not found, so its CPU and memory settings cannot be changed` });
  }
  if (plan.changes.length) {
    // As 1.5: every component's `started` is cleared, so that waiting for the appliance sees this boot's starts.
    // The addresses the appliance published are cleared too: it publishes them again when it is up, and until then
    // neither the wait nor inspect should report an address that may no longer be the appliance's.
    const written = structuredClone(plan.config);
    for (const session of Object.values(written.executorConfig.sessions)) session.started = '';
    for (const [role, ep] of Object.entries(written.executorConfig.networks)) if (role !== 'bridge') ep.assigned = {};
    out.extraConfig = extraConfigUpdate(vch.extraConfig, decoded, written);
  }
  out.empty = !plan.changes.length && !out.pool;
  return out;
}

/** One change; `undo` puts back what a VM snapshot does not (the pool). */
export interface ConfigureStep {
  name: string;
  run(signal?: AbortSignal): Promise<void>;
  undo?(): Promise<void>;
}

export interface StepOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** for the new volume stores' folders */
  datastoreFiles?: (datastore: string) => DatastoreFiles;
  /** wait for the appliance after the power-on (as create does) */
  wait?: boolean;
  /** and then for its Docker API (not checked without: a tlsverify VCH needs a client certificate) */
  docker?: Omit<DockerEndpoint, 'host'>;
  waitTimeoutMs?: number;
}

/** The changes in 1.5's order; run them under the maintenance runner (lock, snapshot, revert on failure). */
export function configureSteps(session: Session, located: Located, p: PreparedConfigure, o: StepOptions = {}): ConfigureStep[] {
  const vm = located.vch.ref;
  const steps: ConfigureStep[] = [];
  // the runner's signal (its deadline) when it passes one, else the caller's
  const opts = (signal?: AbortSignal) => { const sg = signal ?? o.signal; return sg ? { signal: sg } : {}; };
  if (p.pool && p.poolRef) {
    const pool = p.poolRef;
    const before = p.poolBefore!;
    steps.push({
      name: 'updating the resource pool',
      run: async (signal) => {
        for (const c of p.pool!.changes) o.log?.(`Resource pool: ${c}`);
        await UpdateConfig(session, { _this: pool, config: p.pool!.spec }, opts(signal));
      },
      undo: async () => {
        await UpdateConfig(session, { _this: pool, config: before });
      },
    });
  }
  // Folders this run makes above a new store's own folder, recorded with create's (src/vic/config/created-folders.ts)
  // so that delete --force removes them too.
  const madeAbove: CreatedFolder[] = [];
  for (const v of p.plan.addedVolumeStores.filter((s) => s.url.scheme === 'ds')) {
    // A folder this run makes goes again when the configure fails (a VM snapshot does not cover the datastore); one
    // that was there already is left alone. MakeDirectory makes missing parents too: the topmost is what this run made.
    let made: (() => Promise<void>) | undefined;
    steps.push({
      name: `creating volume store folder ${v.url.path}`,
      run: async () => {
        o.log?.(`Creating the folder of volume store ${v.label}: ${v.url.path}`);
        const m = /^\[([^\]]*)\] ?(.*)$/.exec(v.url.path);
        if (!m || !o.datastoreFiles) throw new Error(`cannot create the folder of volume store ${v.label} (${v.url.path})`);
        const files = o.datastoreFiles(m[1]!);
        const folder = m[2]!.replace(/\/+$/, '');
        if (await files.exists(folder)) return;
        let top = folder;
        for (let parent = path.posix.dirname(top); parent !== '.' && parent !== '/' && parent !== ''; parent = path.posix.dirname(parent)) {
          if (await files.exists(parent)) break;
          top = parent;
        }
        made = () => files.remove(top);
        await files.mkdir(folder);
        if (top !== folder && !madeAbove.some((c) => c.datastore === m[1] && top.startsWith(`${c.path}/`))) madeAbove.push({ datastore: m[1]!, path: top });
      },
      undo: async () => { await made?.(); },
    });
  }
  const entries = p.extraConfig.entries;
  if (Object.keys(entries).length) {
    const wasOn = located.vch.powerState === 'poweredOn';
    if (wasOn) steps.push({ name: 'powering off the appliance', run: async (signal) => { await runTask(session, PowerOffVM_Task, { _this: vm }, opts(signal)); } });
    steps.push({
      name: 'writing the configuration',
      run: async (signal) => {
        o.log?.('Setting VM configuration');
        const record = madeAbove.length ? encodeCreatedFolders([...decodeCreatedFolders(located.vch.extraConfig), ...madeAbove]) : {};
        await runTask(session, ReconfigVM_Task, { _this: vm, spec: { extraConfig: optionValues({ ...entries, ...record }) } }, opts(signal));
      },
    });
    steps.push(...accessSteps(session, located, p, o));
    if (wasOn) steps.push({ name: 'powering on the appliance', run: async (signal) => { await runTask(session, PowerOnVM_Task, { _this: vm }, opts(signal)); } });
    if (wasOn && o.wait) {
      const docker = o.docker;
      steps.push({
        name: 'waiting for the appliance',
        run: async (signal) => {
          await waitForAppliance(session, { vm, timeoutMs: o.waitTimeoutMs ?? 180_000, ...(docker ? { docker } : {}), log: o.log ?? (() => undefined), ...opts(signal) });
        },
      });
    }
  }
  return steps;
}

/**
 * The DRS VM group (--affinity-vm-group: created with the appliance and this VCH's container VMs in it, or removed)
 * and the ops user's roles and permissions (--ops-grant-perms, as create grants them). Neither is covered by a VM
 * snapshot, so each has its own undo.
 */
function accessSteps(session: Session, located: Located, p: PreparedConfigure, o: StepOptions): ConfigureStep[] {
  const steps: ConfigureStep[] = [];
  const { vch, scope, scan } = located;
  const cluster = ownerOf(scope.inventory, vch.resourcePool);
  const group = p.plan.vmGroup;
  if (group && cluster) {
    const members = [vch.ref, ...scan.vms.filter((v) => v.ref.value !== vch.ref.value && isContainerVm(v) && v.resourcePool?.value === vch.resourcePool?.value).map((v) => v.ref)];
    const add = () => addVmGroup(session, cluster.ref, group.name, members);
    const remove = () => removeVmGroup(session, cluster.ref, group.name);
    steps.push({
      name: `${group.action === 'create' ? 'creating' : 'removing'} the DRS VM group "${group.name}"`,
      run: async () => {
        o.log?.(`${group.action === 'create' ? 'Creating' : 'Removing'} DRS VM group "${group.name}"`);
        await (group.action === 'create' ? add() : remove());
      },
      undo: async () => { await (group.action === 'create' ? remove() : add()); },
    });
  }
  const opsUser = p.plan.grantPermsTo;
  if (opsUser && cluster && vch.resourcePool) {
    const dc = vch.datacenter ?? scope.datacenters[0];
    const datastores = new Map(dc ? scope.finder.all('datastore', dc).map((d) => [d.name, d.ref]) : []);
    const conf = p.plan.config;
    const dsNames = [conf.storage.imageStores[0]?.host, ...Object.values(conf.storage.volumeLocations).filter((u) => u.scheme === 'ds').map((u) => u.host)];
    const refOf = (moref: string): MoRef | undefined => {
      const i = moref.indexOf(':');
      return i > 0 ? { type: moref.slice(0, i), value: moref.slice(i + 1) } : undefined;
    };
    const undo: { what: string; run: () => Promise<void> }[] = [];
    steps.push({
      name: `granting ops user ${opsUser} its permissions`,
      run: async () => {
        o.log?.(`Granting ops user ${opsUser} the VCH's roles and permissions`);
        const rootPool = cluster.props?.['resourcePool'] as MoRef | undefined;
        await grantOpsUserPermissions(session, {
          opsUser, rootFolder: session.content.rootFolder, datacenter: dc!.ref, cluster: cluster.ref,
          drsEnabled: rootPool?.value !== vch.resourcePool!.value, affinityVmGroup: conf.container.useVMGroup,
          datastores: dsNames.flatMap((n) => (n && datastores.get(n) ? [datastores.get(n)!] : [])),
          containerNetworks: Object.entries(conf.network.containerNetworks).filter(([alias]) => alias !== conf.network.bridgeNetwork)
            .flatMap(([, n]) => { const r = refOf(n.common.id); return r ? [r] : []; }),
          vchPool: vch.resourcePool!,
        }, { record: (what, run) => undo.push({ what, run }) });
      },
      undo: async () => {
        for (const u of undo.reverse()) await u.run().catch((e: Error) => o.log?.(`could not remove ${u.what}: ${e.message}`));
      },
    });
  }
  return steps;
}

/**
 * How to reach the Docker API once the appliance is up again (with the configuration as written); undefined for a
 * tlsverify VCH without a client certificate here, whose API answers nobody else (the wait then ends when the
 * components have started).
 */
export function dockerEndpointAfter(p: PreparedConfigure, client?: { certPem: string; keyPem: string }): Omit<DockerEndpoint, 'host'> | undefined {
  const conf = p.plan.config;
  const cert = conf.certificate.hostCertificate?.cert;
  const verify = !!conf.certificate.certificateAuthorities?.length;
  if (cert && verify && !client) return undefined;
  const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
  return {
    port: dockerApiPort(conf), tls: !!cert,
    ...(cert ? { serverCertPem: text(cert) } : {}),
    ...(client && verify ? { clientCertPem: client.certPem, clientKeyPem: client.keyPem } : {}),
  };
}

export interface RunConfigureInput {
  session: Session;
  located: Located;
  prepared: PreparedConfigure;
  /** --timeout: bounds the steps; a revert gets a deadline of its own */
  timeoutMs: number;
  /** who runs it, for the lock */
  user: string;
  clientHost: string;
  log: (level: 'info' | 'warn', message: string) => void;
  signal?: AbortSignal;
  docker?: Omit<DockerEndpoint, 'host'>;
  /** where new volume stores' folders are made (default: the datastores of the VCH's datacenter) */
  datastoreFiles?: (datastore: string) => DatastoreFiles;
}

/** The files of each datastore of the VCH's datacenter, by name: where configure makes a new volume store's folder. */
function datastoreFilesOf(session: Session, { scope, vch }: Located): (datastore: string) => DatastoreFiles {
  const dc = vch.datacenter ?? scope.datacenters[0]!;
  return (ds) => new DatastoreFiles(session, {
    datacenterPath: dc.path.replace(/^\//, ''), datacenter: dc.ref, datastoreName: ds, datastore: scope.finder.findOne('datastore', ds, dc).ref,
  });
}

/**
 * Runs the steps inside the maintenance frame shared with upgrade (src/vic/maintenance/runner.ts): lock, snapshot
 * `reconfigure for <build>`, steps under --timeout, on any failure a revert of the appliance under a fresh deadline,
 * lock released. The pool is not part of a VM snapshot, so a failed configure also puts the pool's allocation back.
 */
export async function runConfigure(i: RunConfigureInput): Promise<MaintenanceReport> {
  const { vch } = i.located;
  const info = (l: string): void => i.log('info', l);
  const steps = configureSteps(i.session, i.located, i.prepared, {
    log: info, wait: true, waitTimeoutMs: i.timeoutMs, ...(i.signal ? { signal: i.signal } : {}), ...(i.docker ? { docker: i.docker } : {}),
    datastoreFiles: i.datastoreFiles ?? datastoreFilesOf(i.session, i.located),
  });
  const undone: ConfigureStep[] = [];
  const build = i.prepared.decoded.config.executorConfig.version?.buildNumber || 'unknown';
  try {
    return await runMaintenance(i.session, vch.ref, vch.extraConfig, {
      operation: 'configure', snapshotName: `reconfigure for ${build}`, holder: holderText('configure', i.user, i.clientHost),
      timeoutMs: i.timeoutMs, wasPoweredOn: vch.powerState === 'poweredOn', log: i.log, ...(i.signal ? { signal: i.signal } : {}),
    }, steps.map((s) => ({
      name: s.name,
      run: async (signal: AbortSignal) => {
        if (s.undo) undone.push(s);
        await s.run(signal);
      },
    })));
  } catch (e) {
    for (const s of undone.reverse()) {
      await s.undo!().then(() => info(`Undone: ${s.name}`), (u: Error) => i.log('warn', `Could not undo "${s.name}": ${u.message}`));
    }
    throw e;
  }
}

/** The VCH's secret key: read back from its .vmx (vSphere hides it from the API), else from the API. */
export async function readSecretKey(session: Session, located: Located): Promise<SecretKey> {
  const { vch, scope } = located;
  const key = await readVchSecretKey(session, scope, vch);
  if (!key) throw new VchError('internal', `the secret key of VCH "${vch.name}" could not be read (neither from its .vmx file nor from the API)`);
  return key.key;
}

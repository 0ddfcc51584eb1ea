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
import type { Located } from '../vch/locate.js';
import type { Session } from '../../vim/session.js';
import type { DatastoreFiles } from '../../vim/datastore-files.js';
import type { MoRef } from '../../vim/types.js';
import { runTask } from '../../vim/task.js';
import { decodeVchConfigDetailed, dockerApiPort, type DecodedVch, type SecretKey } from '../config/index.js';
import { waitForAppliance, type DockerEndpoint } from '../create/wait-ready.js';
import { VchError } from '../vch/errors.js';
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
  return {
    networkName(moref) {
      const i = moref.indexOf(':');
      return i > 0 ? located.scope.inventory.get({ type: moref.slice(0, i), value: moref.slice(i + 1) })?.name : undefined;
    },
  };
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
        all.length ? `suggested values: ${all.join(', ')}` : undefined, '--container-network');
    }
    const ref = hits[0]!.ref;
    return { ...s, moref: `${ref.type}:${ref.value}` };
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
  const request: ConfigureRequest = { ...input.request };
  if (input.containerNetworks) request.containerNetworks = resolvePortGroups(located, input.containerNetworks);
  if (request.volumeStores && request.defaultDatastore === undefined) {
    const image = decoded.config.storage.imageStores[0]?.host;
    if (image) request.defaultDatastore = image;
  }
  const plan = planConfigure(decoded.config, request, networkNames(located));

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
    plan.problems.push({ flag: '--cpu', message: `the resource pool of VCH "${vch.name}" was not found, so its CPU and memory settings cannot be changed` });
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
  run(): Promise<void>;
  undo?(): Promise<void>;
}

export interface StepOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** for the new volume stores' folders */
  datastoreFiles?: (datastore: string) => DatastoreFiles;
  /** wait for the appliance and its Docker API after the power-on (as create does); no wait without it */
  docker?: Omit<DockerEndpoint, 'host'>;
  waitTimeoutMs?: number;
}

/** The changes in 1.5's order; run them under the maintenance runner (lock, snapshot, revert on failure). */
export function configureSteps(session: Session, located: Located, p: PreparedConfigure, o: StepOptions = {}): ConfigureStep[] {
  const vm = located.vch.ref;
  const steps: ConfigureStep[] = [];
  const call = o.signal ? { signal: o.signal } : {};
  if (p.pool && p.poolRef) {
    const pool = p.poolRef;
    const before = p.poolBefore!;
    steps.push({
      name: 'update the resource pool',
      run: async () => {
        for (const c of p.pool!.changes) o.log?.(c);
        await session.call('UpdateConfig', { _this: pool, config: p.pool!.spec }, call);
      },
      undo: async () => {
        await session.call('UpdateConfig', { _this: pool, config: before });
      },
    });
  }
  for (const v of p.plan.addedVolumeStores.filter((s) => s.url.scheme === 'ds')) {
    steps.push({
      name: `create volume store folder ${v.url.path}`,
      run: async () => {
        const m = /^\[([^\]]*)\] ?(.*)$/.exec(v.url.path);
        if (!m || !o.datastoreFiles) throw new Error(`cannot create the folder of volume store ${v.label} (${v.url.path})`);
        await o.datastoreFiles(m[1]!).mkdir(m[2]!);
      },
    });
  }
  const entries = p.extraConfig.entries;
  if (Object.keys(entries).length) {
    const wasOn = located.vch.powerState === 'poweredOn';
    if (wasOn) steps.push({ name: 'power off the appliance', run: async () => { await runTask(session, 'PowerOffVM_Task', { _this: vm }, call); } });
    steps.push({
      name: 'write the configuration',
      run: async () => {
        o.log?.('Setting VM configuration');
        await runTask(session, 'ReconfigVM_Task', { _this: vm, spec: { extraConfig: optionValues(entries) } }, call);
      },
    });
    if (wasOn) steps.push({ name: 'power on the appliance', run: async () => { await runTask(session, 'PowerOnVM_Task', { _this: vm }, call); } });
    if (wasOn && o.docker) {
      const docker = o.docker;
      steps.push({
        name: 'wait for the appliance',
        run: async () => {
          await waitForAppliance(session, { vm, timeoutMs: o.waitTimeoutMs ?? 180_000, docker, log: o.log ?? (() => undefined), ...(o.signal ? { signal: o.signal } : {}) });
        },
      });
    }
  }
  return steps;
}

/** How to reach the Docker API once the appliance is up again (with the configuration as written). */
export function dockerEndpointAfter(p: PreparedConfigure, client?: { certPem: string; keyPem: string }): Omit<DockerEndpoint, 'host'> {
  const cert = p.plan.config.certificate.hostCertificate?.cert;
  const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
  return {
    port: dockerApiPort(p.plan.config), tls: !!cert,
    ...(cert ? { serverCertPem: text(cert) } : {}),
    ...(client && p.plan.config.certificate.certificateAuthorities ? { clientCertPem: client.certPem, clientKeyPem: client.keyPem } : {}),
  };
}

// Resolution of what the flags name, against the inventory snapshot (no round trips): the datacenter from
// --target, the compute resource, the image and volume datastores, and the networks per role. Every failure
// becomes an issue naming the flag and listing what exists.
import { MultipleFoundError, NotFoundError, type Kind } from '../../vim/finder.js';
import type { InventoryObject } from '../../vim/inventory.js';
import type { MoRef } from '../../vim/types.js';
import { capList, key, prop, refs, sortedUnique, type Ctx } from './context.js';
import { parseIpv4, parseIpv4Cidr } from '../spec/values/ipv4.js';
import { parseIpv4Range } from '../spec/values/ip-range.js';
import { nfsOptions, nfsUrlText } from '../spec/values/volume-store.js';
import { tryParse } from '../spec/values/value-error.js';
import { asList, parseFirewallLevel } from './parse.js';
import type { NetworkType, ResolvedContainerNetwork, ResolvedDatastore, ResolvedNetwork } from './types.js';

const CR_TYPES = ['ClusterComputeResource', 'ComputeResource'];

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Datacenter

export function resolveDatacenter(ctx: Ctx): InventoryObject | undefined {
  const all = ctx.finder.datacenters();
  const names = sortedUnique(all.map((d) => d.path.slice(1)));
  const raw = (ctx.input.datacenter ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (!raw) {
    if (all.length === 1) return all[0];
    if (!all.length) ctx.issue('datacenter-not-found', '--target', 'No datacenters found');
    else ctx.issue('datacenter-required', '--target', 'Datacenter must be specified in --target (e.g. https://addr/datacenter)', names);
    return undefined;
  }
  const q = decode(raw);
  const byPathOrName = (s: string): InventoryObject[] => {
    const byPath = all.filter((d) => d.path.slice(1) === s || decode(d.path.slice(1)) === s);
    if (byPath.length) return byPath;
    const byName = all.filter((d) => d.name === s);
    if (byName.length) return byName;
    try {
      return [ctx.finder.datacenter(s)];
    } catch {
      return [];
    }
  };
  const hits = byPathOrName(q);
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) {
    ctx.issue('datacenter-ambiguous', '--target', `Datacenter "${q}" in --target matches ${hits.length} datacenters: give its full path`, hits.map((d) => d.path.slice(1)).sort());
    return undefined;
  }
  if (q.includes('/')) {
    // "DC0/host/cluster" or "DC0/cluster": the original's message, plus which part would go to --compute-resource
    const segs = q.split('/').filter(Boolean);
    let hint = '';
    for (let k = segs.length - 1; k >= 1; k--) {
      const dcs = byPathOrName(segs.slice(0, k).join('/'));
      if (dcs.length === 1) {
        const rest = segs.slice(k).join('/').replace(/^host\//, '');
        hint = ` (here: --target .../${dcs[0]!.path.slice(1)} --compute-resource "${rest}")`;
        break;
      }
    }
    ctx.issue('target-path-invalid', '--target', '--target should only specify datacenter in the path (e.g. https://addr/datacenter) - specify cluster, resource pool, or folder with --compute-resource' + hint, names);
    return undefined;
  }
  ctx.issue('datacenter-not-found', '--target', `Datacenter "${q.split('/').pop()}" in --target is not found`, names);
  return undefined;
}

export interface DatacenterFolders {
  vm: InventoryObject;
  host: InventoryObject;
  datastore: InventoryObject;
  network: InventoryObject;
}

export function datacenterFolders(ctx: Ctx, dc: InventoryObject): DatacenterFolders {
  const f = (n: string): InventoryObject => {
    const o = ctx.childrenOfType(dc.ref, 'Folder').find((c) => c.name === n);
    if (!o) throw new Error(`datacenter ${dc.path} has no ${n} folder in the inventory`);
    return o;
  };
  return { vm: f('vm'), host: f('host'), datastore: f('datastore'), network: f('network') };
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups: exact names and paths first (names may contain glob characters), then the finder's glob matching.

function lookup(ctx: Ctx, kind: Kind, q: string, dc: InventoryObject, candidates: InventoryObject[]): InventoryObject[] {
  const exact = candidates.filter((o) => o.path === q || ctx.finder.relativePath(o, kind) === q);
  if (exact.length) return exact;
  if (!q.includes('/')) {
    const byName = candidates.filter((o) => o.name === q);
    if (byName.length) return byName;
  }
  const keys = new Set(candidates.map((o) => key(o.ref)));
  try {
    return ctx.finder.findAll(kind, q, dc).filter((o) => keys.has(key(o.ref)));
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof MultipleFoundError) return [];
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Compute resource

export interface ComputeResolution {
  /** the cluster or standalone compute resource */
  cr: InventoryObject;
  rootPool: InventoryObject;
  /** what --compute-resource named (the root pool when it named the compute resource) */
  pool: InventoryObject;
  hosts: InventoryObject[];
  drsEnabled: boolean | undefined;
}

export function ownerOf(ctx: Ctx, o: InventoryObject): InventoryObject | undefined {
  for (let cur: InventoryObject | undefined = o; cur; cur = ctx.get(cur.parent)) {
    if (CR_TYPES.includes(cur.ref.type)) return cur;
  }
  return undefined;
}

export function rootPoolOf(ctx: Ctx, cr: InventoryObject): InventoryObject | undefined {
  return ctx.childrenOfType(cr.ref, 'ResourcePool')[0];
}

function drsOf(cr: InventoryObject): boolean | undefined {
  if (cr.ref.type !== 'ClusterComputeResource') return undefined;
  const cfg = prop<{ drsConfig?: { enabled?: boolean } }>(cr, 'configurationEx');
  // Only an explicit "false" means DRS is off (the original's rule).
  return cfg?.drsConfig?.enabled !== false;
}

export function computeSuggestions(ctx: Ctx, dc: InventoryObject, withPools = true): string[] {
  const crs = ctx.finder.all('compute', dc).filter((o) => CR_TYPES.includes(o.ref.type));
  const pools = withPools ? ctx.finder.all('pool', dc).filter((o) => !CR_TYPES.includes(ctx.get(o.parent)?.ref.type ?? '')) : [];
  return [...sortedUnique(crs.map((o) => ctx.finder.relativePath(o, 'compute'))), ...sortedUnique(pools.map((o) => ctx.finder.relativePath(o, 'pool')))];
}

function computeFrom(ctx: Ctx, cr: InventoryObject, pool?: InventoryObject): ComputeResolution | undefined {
  const rootPool = rootPoolOf(ctx, cr);
  if (!rootPool) {
    ctx.issue('compute-resource-invalid', '--compute-resource', `compute resource "${ctx.finder.relativePath(cr, 'compute')}" has no resource pool`);
    return undefined;
  }
  return { cr, rootPool, pool: pool ?? rootPool, hosts: ctx.childrenOfType(cr.ref, 'HostSystem'), drsEnabled: drsOf(cr) };
}

export function resolveCompute(ctx: Ctx, dc: InventoryObject): ComputeResolution | undefined {
  const flag = '--compute-resource';
  const q = (ctx.input.computeResource ?? '').trim();
  const crs = ctx.finder.all('compute', dc).filter((o) => CR_TYPES.includes(o.ref.type));
  if (!q) {
    if (crs.length === 1) return computeFrom(ctx, crs[0]!);
    if (!crs.length) {
      ctx.issue('compute-resource-not-found', flag, `No compute resource found in datacenter "${dc.name}"`);
      return undefined;
    }
    ctx.issue('compute-resource-required', flag, 'No unambiguous default compute resource available: --compute-resource must be specified', computeSuggestions(ctx, dc, false));
    return undefined;
  }

  // 1. a resource pool or vApp
  const pools = lookup(ctx, 'pool', q, dc, ctx.finder.all('pool', dc));
  if (pools.length === 1) {
    const owner = ownerOf(ctx, pools[0]!);
    if (!owner) {
      ctx.issue('compute-resource-invalid', flag, `resource pool "${q}" belongs to no compute resource`);
      return undefined;
    }
    return computeFrom(ctx, owner, pools[0]);
  }

  // 2. a cluster or a standalone host (its compute resource, or the host itself)
  const candidates = ctx.finder.all('compute', dc).filter((o) => [...CR_TYPES, 'HostSystem'].includes(o.ref.type));
  const found = lookup(ctx, 'compute', q, dc, candidates);
  if (pools.length > 1) {
    // A pattern such as "DC0_C*" matches the clusters' child pools by name, and the clusters too: every match is a
    // value that would work, so all are listed (the clusters first, as that is most often what was meant).
    const crs = found.filter((o) => CR_TYPES.includes(o.ref.type)).map((o) => ctx.finder.relativePath(o, 'compute'));
    ctx.issue('compute-resource-ambiguous', flag, `Failed to use --compute-resource="${q}" as resource pool: path '${q}' resolves to multiple resource pools`,
      [...sortedUnique(crs), ...sortedUnique(pools.map((o) => ctx.finder.relativePath(o, 'pool')))]);
    return undefined;
  }
  const resolved = new Map<string, InventoryObject>();
  for (const o of found) {
    if (o.ref.type !== 'HostSystem') {
      resolved.set(key(o.ref), o);
      continue;
    }
    const parent = ctx.get(o.parent);
    if (parent?.ref.type === 'ComputeResource') resolved.set(key(parent.ref), parent);
    else if (parent?.ref.type === 'ClusterComputeResource' && found.length === 1) {
      const cluster = ctx.finder.relativePath(parent, 'compute');
      ctx.issue('compute-resource-invalid', flag, `"${q}" is a host in cluster "${cluster}": specify the cluster or a resource pool in it with --compute-resource`,
        [cluster, ...sortedUnique(ctx.finder.all('pool', dc).filter((p) => ownerOf(ctx, p) === parent && p.parent && ctx.get(p.parent) !== parent)
          .map((p) => ctx.finder.relativePath(p, 'pool')))]);
      return undefined;
    }
  }
  if (resolved.size === 1) return computeFrom(ctx, [...resolved.values()][0]!);
  if (resolved.size > 1) {
    ctx.issue('compute-resource-ambiguous', flag, `path '${q}' resolves to multiple compute resources`, sortedUnique([...resolved.values()].map((o) => ctx.finder.relativePath(o, 'compute'))));
    return undefined;
  }

  // 3. not found: say why, and what exists
  let message = `compute resource '${q}' not found`;
  const didYouMean: string[] = [];
  const segs = q.replace(/^\/+/, '').split('/').filter(Boolean);
  if (!q.startsWith('/') && segs.length >= 2 && segs[1] !== 'Resources') {
    const alt = [segs[0]!, 'Resources', ...segs.slice(1)].join('/');
    const altHits = lookup(ctx, 'pool', alt, dc, ctx.finder.all('pool', dc));
    if (altHits.length === 1) didYouMean.push(ctx.finder.relativePath(altHits[0]!, 'pool'));
  }
  if (q.startsWith('/') && !q.startsWith(`${dc.path}/`)) {
    const elsewhere = ctx.finder.findAll('compute', q).concat(ctx.finder.findAll('pool', q));
    const other = elsewhere.map((o) => ctx.inv.datacenterOf(o.ref)).find((d) => d && d !== dc);
    if (other) message += ` in datacenter "${dc.name}" (it is in datacenter "${other.name}": change --target)`;
    else message += ` in datacenter "${dc.name}"`;
  }
  if (didYouMean.length) message += ` (did you mean "${didYouMean[0]}"?)`;
  ctx.issue('compute-resource-not-found', flag, message, capList([...new Set([...didYouMean, ...computeSuggestions(ctx, dc)])]));
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Datastores

export interface StorageResolution {
  image?: { ds: InventoryObject; path: string };
  /** whether the image store was chosen by default (no --image-store) */
  imageDefaulted: boolean;
  volumes: { label: string; ds: InventoryObject; path: string }[];
  nfs: { label: string; url: string; host: string; path: string; options: Record<string, string> }[];
}

export function datastoreInfo(o: InventoryObject): ResolvedDatastore {
  const s = prop<{ url?: string; type?: string; capacity?: number; freeSpace?: number }>(o, 'summary') ?? {};
  const out: ResolvedDatastore = { ref: o.ref, name: o.name, path: o.path };
  if (s.url !== undefined) out.url = s.url;
  if (s.type !== undefined) out.type = s.type;
  if (typeof s.capacity === 'number') out.capacity = s.capacity;
  if (typeof s.freeSpace === 'number') out.freeSpace = s.freeSpace;
  return out;
}

/** Host keys that mount `ds` (Datastore.host, and HostSystem.datastore: vcsim fills only one of them reliably). */
export function datastoreHostKeys(ds: InventoryObject, hosts: InventoryObject[]): Set<string> {
  const out = new Set<string>();
  const mounts = prop<{ key: MoRef; mountInfo?: { mounted?: boolean; accessible?: boolean } }[]>(ds, 'host') ?? [];
  const denied = new Set<string>();
  for (const m of mounts) {
    if (m.mountInfo?.accessible === false || m.mountInfo?.mounted === false) denied.add(key(m.key));
    else out.add(key(m.key));
  }
  for (const h of hosts) {
    if (refs(h, 'datastore').some((r) => r.value === ds.ref.value) && !denied.has(key(h.ref))) out.add(key(h.ref));
  }
  return out;
}

function findDatastores(ctx: Ctx, dc: InventoryObject, name: string): InventoryObject[] {
  return lookup(ctx, 'datastore', name, dc, ctx.finder.all('datastore', dc));
}

export function resolveStorage(ctx: Ctx, dc: InventoryObject, compute: ComputeResolution | undefined, eligibleHosts: InventoryObject[]): StorageResolution {
  const all = ctx.finder.all('datastore', dc);
  const reachable = compute ? all.filter((d) => { const ks = datastoreHostKeys(d, eligibleHosts); return eligibleHosts.some((h) => ks.has(key(h.ref))); }) : all;
  const suggest = (label?: string): string[] => sortedUnique((reachable.length ? reachable : all).map((d) => d.name)).map((n) => (label ? `${n}:${label}` : n));
  const out: StorageResolution = { imageDefaulted: false, volumes: [], nfs: [] };

  // Image store
  // The datastore is the location's first segment (or the bracketed name), exactly what create writes.
  const image = ctx.input.imageStore ?? { datastore: '', path: '' };
  if (!image.datastore) {
    const pick = all.length === 1 ? all : reachable.length === 1 ? reachable : [];
    if (pick.length === 1) {
      out.image = { ds: pick[0]!, path: '' };
      out.imageDefaulted = true;
      ctx.notes.push(`Using default datastore: ${pick[0]!.name}`);
    } else if (!all.length) {
      ctx.issue('datastore-not-found', '--image-store', `No datastores found in datacenter "${dc.name}"`);
    } else {
      ctx.issue('datastore-required', '--image-store', 'No unambiguous default datastore available: --image-store must be specified', suggest());
    }
  } else {
    const hits = findDatastores(ctx, dc, image.datastore);
    if (hits.length === 1) out.image = { ds: hits[0]!, path: image.path };
    else if (hits.length > 1) ctx.issue('datastore-ambiguous', '--image-store', `ambiguous datastore ${image.datastore}`, sortedUnique(hits.map((d) => ctx.finder.relativePath(d, 'datastore'))));
    else ctx.issue('datastore-not-found', '--image-store', `datastore '${image.datastore}' not found`, suggest());
  }

  // Volume stores
  for (const vs of ctx.input.volumeStores) {
    if (vs.target.kind === 'nfs') {
      // host and path were checked when the value was parsed
      const n = vs.target.nfs;
      out.nfs.push({ label: vs.label, url: nfsUrlText(n), host: n.host, path: n.path, options: nfsOptions(n) });
      continue;
    }
    const split = vs.target.location;
    if (!split.datastore) {
      ctx.issue('datastore-required', '--volume-store', `volume store "${vs.label}" names no datastore`, suggest(vs.label));
      continue;
    }
    const hits = findDatastores(ctx, dc, split.datastore);
    if (hits.length === 1) out.volumes.push({ label: vs.label, ds: hits[0]!, path: split.path });
    else if (hits.length > 1) ctx.issue('datastore-ambiguous', '--volume-store', `ambiguous datastore ${split.datastore}`, sortedUnique(hits.map((d) => `${ctx.finder.relativePath(d, 'datastore')}:${vs.label}`)));
    else ctx.issue('datastore-not-found', '--volume-store', `datastore '${split.datastore}' not found (volume store "${vs.label}")`, suggest(vs.label));
  }

  for (const d of [out.image?.ds, ...out.volumes.map((v) => v.ds)]) {
    if (!d) continue;
    const s = prop<{ accessible?: boolean; maintenanceMode?: string }>(d, 'summary');
    if (s?.accessible === false) ctx.issue('datastore-inaccessible', d === out.image?.ds ? '--image-store' : '--volume-store', `Datastore "${d.name}" is not accessible`, suggest());
    else if (s?.maintenanceMode && s.maintenanceMode !== 'normal') ctx.warn(`Datastore "${d.name}" is in maintenance mode (${s.maintenanceMode})`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Networks

export const NETWORK_TYPES = ['Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork'];

export function isUplink(ctx: Ctx, o: InventoryObject): boolean {
  if (o.ref.type !== 'DistributedVirtualPortgroup') return false;
  const tags = prop<{ key?: string }[]>(o, 'tag') ?? [];
  if (tags.some((t) => t.key === 'SYSTEM/DVS.UPLINKPG')) return true;
  const dvs = ctx.get(prop<MoRef>(o, 'config.distributedVirtualSwitch'));
  if (refs(dvs, 'config.uplinkPortgroup').some((r) => r.value === o.ref.value)) return true;
  // vcsim sets neither; vSphere names them "<switch>-DVUplinks-<n>"
  return /-DVUplinks(-\d+)?$/.test(o.name);
}

export function toResolvedNetwork(ctx: Ctx, o: InventoryObject): ResolvedNetwork {
  const out: ResolvedNetwork = { ref: o.ref, name: o.name, path: o.path, type: o.ref.type as NetworkType };
  if (o.ref.type === 'DistributedVirtualPortgroup') {
    const dvs = ctx.get(prop<MoRef>(o, 'config.distributedVirtualSwitch'));
    const portgroupKey = prop<string>(o, 'key') ?? o.ref.value;
    out.dvs = { portgroupKey, switchUuid: prop<string>(dvs, 'uuid') ?? '' };
  } else if (o.ref.type === 'OpaqueNetwork') {
    const s = prop<{ opaqueNetworkId?: string; opaqueNetworkType?: string }>(o, 'summary') ?? {};
    out.opaque = { id: s.opaqueNetworkId ?? '', type: s.opaqueNetworkType ?? '' };
  }
  return out;
}

export interface NetworkResolution {
  public?: InventoryObject;
  client?: InventoryObject;
  management?: InventoryObject;
  bridge?: InventoryObject;
  /** ESXi: the bridge port group does not exist and will be created */
  createBridge: boolean;
  container: { alias: string; net: InventoryObject; resolved: Omit<ResolvedContainerNetwork, 'network'> }[];
}

export function resolveNetworks(ctx: Ctx, dc: InventoryObject): NetworkResolution {
  const all = ctx.finder.all('network', dc).filter((o) => NETWORK_TYPES.includes(o.ref.type) && !isUplink(ctx, o));
  const distributed = all.filter((o) => o.ref.type !== 'Network');
  const rel = (xs: InventoryObject[]): string[] => sortedUnique(xs.map((o) => ctx.finder.relativePath(o, 'network')));
  const find = (q: string): InventoryObject[] => lookup(ctx, 'network', q, dc, all);
  const out: NetworkResolution = { createBridge: false, container: [] };
  const reported = new Set<string>();

  const roles = [
    ['public', '--public-network', ctx.input.publicNetwork],
    ['client', '--client-network', ctx.input.clientNetwork],
    ['management', '--management-network', ctx.input.managementNetwork],
  ] as const;
  for (const [role, flag, q] of roles) {
    const hits = find(q);
    if (hits.length === 1) {
      out[role] = hits[0];
      continue;
    }
    if (reported.has(q)) continue; // the same name already failed for an earlier role (client defaults to public)
    reported.add(q);
    if (hits.length > 1) ctx.issue('network-ambiguous', flag, `Error checking network for ${flag}: ambiguous network ${q}`, rel(hits));
    else ctx.issue('network-not-found', flag, `Error checking network for ${flag}: network '${q}' not found`, rel(all));
  }

  // Bridge network
  const bq = ctx.input.bridgeNetwork;
  const bridgeHits = find(bq);
  const vcBridge = 'An existing distributed port group or opaque network must be specified for bridge network on vCenter';
  const bridgeSuggestions = (): string[] => rel(distributed.filter((o) => ![out.public, out.client, out.management].includes(o)));
  if (bridgeHits.length > 1) {
    ctx.issue('network-ambiguous', '--bridge-network', `ambiguous network ${bq}`, rel(bridgeHits));
  } else if (bridgeHits.length === 1) {
    const b = bridgeHits[0]!;
    if (ctx.isVC && b.ref.type === 'Network') ctx.issue('network-wrong-type', '--bridge-network', `${vcBridge}: "${bq}" is not a Distributed Port Group or an Opaque Network`, bridgeSuggestions());
    else out.bridge = b;
  } else if (ctx.isVC) {
    const s = bridgeSuggestions();
    ctx.issue('network-not-found', '--bridge-network', `${vcBridge}: network '${bq}' not found` +
      (ctx.input.bridgeNetwork === ctx.input.name && !s.length ? ' (--bridge-network defaults to the VCH name; create a distributed port group for it first)' : ''), s);
  } else {
    out.createBridge = true;
  }
  for (const [role, , q] of roles) {
    const other = out[role];
    if ((out.bridge && other && out.bridge === other) || (out.createBridge && q === bq)) {
      ctx.issue('network-shared', '--bridge-network', `the bridge network must not be shared with another network role - ${role} also uses "${q}"`,
        ctx.isVC ? bridgeSuggestions() : undefined);
    }
  }

  // Container networks
  const seenAlias = new Set<string>();
  for (const cn of ctx.input.containerNetworks) {
    const alias = cn.alias || cn.vsphereName;
    if (seenAlias.has(alias)) continue; // reported by the input checks
    seenAlias.add(alias);
    const hits = find(cn.vsphereName);
    const prefix = `Error adding container network "${alias}"`;
    if (hits.length !== 1) {
      if (hits.length > 1) ctx.issue('network-ambiguous', '--container-network', `${prefix}: ambiguous network ${cn.vsphereName}`, rel(hits));
      else ctx.issue('network-not-found', '--container-network', `${prefix}: network '${cn.vsphereName}' not found`, rel(ctx.isVC ? distributed : all));
      continue;
    }
    const net = hits[0]!;
    if (ctx.isVC && net.ref.type === 'Network') {
      ctx.issue('network-wrong-type', '--container-network', `${prefix}: "${cn.vsphereName}" is not a Distributed Port Group or an Opaque Network`, rel(distributed));
      continue;
    }
    if ((out.bridge && net === out.bridge) || (out.createBridge && cn.vsphereName === bq)) {
      ctx.issue('network-shared', '--container-network', `the bridge network must not be shared with another network role - "${bq}" also mapped as container network "${alias}"`);
      continue;
    }
    // Values in error were reported by checkInput; the plan holds the parsed ones (create writes them as they are).
    const ok = <T>(r: { value: T } | { error: unknown }): T[] => ('value' in r ? [r.value] : []);
    const gateway = cn.gateway ? ok(tryParse(() => parseIpv4Cidr(cn.gateway!)))[0] : undefined;
    const ipRanges = asList(cn.ipRange).flatMap((r) => ok(tryParse(() => parseIpv4Range(r))));
    const dns = asList(cn.dns).flatMap((d) => ok(tryParse(() => parseIpv4(d))));
    const firewall = cn.firewall ? parseFirewallLevel(cn.firewall) : undefined;
    const resolved: Omit<ResolvedContainerNetwork, 'network'> = { alias, ipRanges, dns };
    if (gateway) resolved.gateway = gateway;
    if (firewall) resolved.firewall = firewall;
    out.container.push({ alias, net, resolved });
  }
  return out;
}

// Inventory finder with govc-style paths, over an Inventory snapshot (no round trips per lookup):
//   absolute      /DC0/host/DC0_C0/Resources/pool1
//   relative      DC0_C0/Resources/pool1   (relative to the datacenter's folder for the kind: host, vm, datastore, network)
//   name          pool1                    (searched anywhere below that folder)
//   managed id    resgroup-42 or ResourcePool:resgroup-42
// Each path segment may use the wildcards * ? and [...]. Errors list what does exist.
import { escapeName, type Inventory, type InventoryObject } from './inventory.js';

export type Kind = 'datacenter' | 'folder' | 'compute' | 'cluster' | 'host' | 'pool' | 'datastore' | 'network' | 'vm';

const KIND_TYPES: Record<Kind, readonly string[]> = {
  datacenter: ['Datacenter'],
  folder: ['Folder'],
  compute: ['ClusterComputeResource', 'ComputeResource', 'HostSystem', 'ResourcePool', 'VirtualApp'],
  cluster: ['ClusterComputeResource'],
  host: ['HostSystem'],
  pool: ['ResourcePool', 'VirtualApp'],
  datastore: ['Datastore'],
  network: ['Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork'],
  vm: ['VirtualMachine'],
};

const KIND_FOLDER: Record<Kind, string | undefined> = {
  datacenter: undefined, folder: undefined, compute: 'host', cluster: 'host', host: 'host', pool: 'host',
  datastore: 'datastore', network: 'network', vm: 'vm',
};

const KIND_LABEL: Record<Kind, string> = {
  datacenter: 'datacenter', folder: 'folder', compute: 'compute resource', cluster: 'cluster', host: 'host',
  pool: 'resource pool', datastore: 'datastore', network: 'network', vm: 'virtual machine',
};

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly kind: Kind, readonly query: string, readonly candidates: string[]) {
    super(`${KIND_LABEL[kind]} "${query}" was not found` +
      (candidates.length ? `; ${candidates.length === 1 ? 'it exists' : 'these exist'}: ${candidates.map((c) => `"${c}"`).join(', ')}` : ''));
  }
}

export class MultipleFoundError extends Error {
  override readonly name = 'MultipleFoundError';
  constructor(readonly kind: Kind, readonly query: string, readonly matches: string[]) {
    super(`${KIND_LABEL[kind]} "${query}" matches ${matches.length} objects: ${matches.map((c) => `"${c}"`).join(', ')}; give a path that names one`);
  }
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// A managed object id (vm-42, domain-c7, resgroup-v12, ha-host, ...), optionally with its type. A name that looks
// like one but names no object falls back to being matched as a name.
const MOID = /^(?:([A-Za-z]+):)?([A-Za-z][A-Za-z]*-[\w-]+)$/;

function splitPath(p: string): string[] {
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

export class Finder {
  constructor(readonly inventory: Inventory) {}

  datacenters(): InventoryObject[] {
    return [...this.inventory.objects].filter((o) => o.ref.type === 'Datacenter');
  }

  /** The datacenter named by `query` (path or name); with none given, the only datacenter there is. */
  datacenter(query?: string): InventoryObject {
    const all = this.datacenters();
    if (!query) {
      if (all.length === 1) return all[0]!;
      if (all.length === 0) throw new NotFoundError('datacenter', '', []);
      throw new MultipleFoundError('datacenter', '', all.map((d) => d.path));
    }
    const q = query.startsWith('/') ? query : `/${query}`;
    const re = splitPath(q).map(globToRegExp);
    const hits = all.filter((d) => matchSegments(re, splitPath(d.path)) || globToRegExp(query).test(d.name));
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) throw new NotFoundError('datacenter', query, all.map((d) => d.path.slice(1)));
    throw new MultipleFoundError('datacenter', query, hits.map((d) => d.path));
  }

  /** Path of `o` relative to its datacenter's folder for `kind` (how admins type it), else its full path. */
  relativePath(o: InventoryObject, kind: Kind): string {
    const dc = this.inventory.datacenterOf(o.ref);
    const folder = KIND_FOLDER[kind];
    if (dc && folder) {
      const prefix = `${dc.path}/${folder}/`;
      if (o.path.startsWith(prefix)) return o.path.slice(prefix.length);
    }
    return o.path;
  }

  /** Every object of `kind` in `datacenter` (or everywhere). */
  all(kind: Kind, datacenter?: InventoryObject): InventoryObject[] {
    const types = KIND_TYPES[kind];
    const prefix = datacenter ? `${datacenter.path}/` : '/';
    return [...this.inventory.objects].filter((o) => types.includes(o.ref.type) && o.path.startsWith(prefix));
  }

  findAll(kind: Kind, query: string, datacenter?: InventoryObject): InventoryObject[] {
    const candidates = this.all(kind, datacenter);
    const id = MOID.exec(query);
    if (id) {
      const byId = candidates.filter((o) => o.ref.value === id[2] && (!id[1] || o.ref.type === id[1]));
      if (byId.length) return byId;
    }
    if (query.startsWith('/')) {
      const re = splitPath(query).map(globToRegExp);
      return candidates.filter((o) => matchSegments(re, splitPath(o.path)));
    }
    const folder = KIND_FOLDER[kind];
    const base = datacenter && folder ? `${datacenter.path}/${folder}` : datacenter?.path ?? '';
    if (splitPath(query).length > 1 || query.startsWith('./')) {
      const re = [...splitPath(base), ...splitPath(query)].map(globToRegExp);
      return candidates.filter((o) => matchSegments(re, splitPath(o.path)));
    }
    const re = globToRegExp(escapeName(query));
    const byName = candidates.filter((o) => re.test(escapeName(o.name)));
    return byName;
  }

  findOne(kind: Kind, query: string, datacenter?: InventoryObject): InventoryObject {
    const hits = this.findAll(kind, query, datacenter);
    if (hits.length === 1) return hits[0]!;
    if (hits.length === 0) {
      throw new NotFoundError(kind, query, this.all(kind, datacenter).map((o) => this.relativePath(o, kind)).sort());
    }
    throw new MultipleFoundError(kind, query, hits.map((o) => this.relativePath(o, kind)).sort());
  }
}

function matchSegments(re: RegExp[], parts: string[]): boolean {
  return re.length === parts.length && re.every((r, i) => r.test(parts[i]!));
}

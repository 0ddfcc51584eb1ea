// A snapshot of the inventory tree (datacenters, folders, compute resources, hosts, resource pools, vApps,
// datastores, networks; VMs on request) read in ONE RetrievePropertiesEx with a recursive traversal, so that
// every path lookup afterwards is local. vic-machine 1.5 walked the tree one call per level and per lookup.
import { retrieve, type PropertyFilterSpec } from './property-collector.js';
import type { Session } from './session.js';
import type { DataObject, MoRef } from './types.js';

export interface InventoryObject {
  readonly ref: MoRef;
  readonly name: string;
  readonly parent: MoRef | undefined;
  /** inventory path, e.g. /DC0/host/DC0_C0/Resources/pool1 */
  path: string;
  /** any extra properties that were asked for */
  readonly props: Record<string, unknown>;
}

export const CONTAINER_TYPES = ['Folder', 'Datacenter', 'ClusterComputeResource', 'ComputeResource', 'HostSystem',
  'ResourcePool', 'VirtualApp', 'Datastore', 'StoragePod', 'Network', 'DistributedVirtualPortgroup', 'OpaqueNetwork',
  'VmwareDistributedVirtualSwitch', 'DistributedVirtualSwitch'] as const;

function traversal(name: string, type: string, path: string, selectSet: string[]): DataObject {
  return {
    _type: 'TraversalSpec', name, type, path, skip: false,
    selectSet: selectSet.map((n) => ({ _type: 'SelectionSpec', name: n })),
  };
}

function selectSpecs(withVMs: boolean): DataObject[] {
  const fromFolder = ['folder', 'dcHost', 'dcVm', 'dcDs', 'dcNet', 'crHost', 'crPool', 'pool'];
  const specs = [
    traversal('folder', 'Folder', 'childEntity', fromFolder),
    traversal('dcHost', 'Datacenter', 'hostFolder', ['folder']),
    traversal('dcDs', 'Datacenter', 'datastoreFolder', ['folder']),
    traversal('dcNet', 'Datacenter', 'networkFolder', ['folder']),
    traversal('dcVm', 'Datacenter', 'vmFolder', ['folder']),
    traversal('crHost', 'ComputeResource', 'host', []),
    traversal('crPool', 'ComputeResource', 'resourcePool', ['pool']),
    traversal('pool', 'ResourcePool', 'resourcePool', ['pool']),
  ];
  if (withVMs) specs.push(traversal('poolVm', 'ResourcePool', 'vm', []));
  return specs;
}

export interface LoadInventoryOptions {
  /** where to start; the root folder by default (a datacenter narrows the read to it) */
  root?: MoRef;
  includeVMs?: boolean;
  /** extra property paths per type, e.g. {Datastore: ['summary'], ClusterComputeResource: ['configurationEx']} */
  extraPaths?: Partial<Record<string, string[]>>;
}

export class Inventory {
  private readonly byKey = new Map<string, InventoryObject>();
  private readonly byPath = new Map<string, InventoryObject>();

  constructor(objects: InventoryObject[]) {
    for (const o of objects) this.byKey.set(key(o.ref), o);
    for (const o of objects) o.path = this.computePath(o);
    for (const o of objects) this.byPath.set(o.path, o);
  }

  get objects(): Iterable<InventoryObject> {
    return this.byKey.values();
  }

  get(ref: MoRef | undefined): InventoryObject | undefined {
    return ref ? this.byKey.get(key(ref)) : undefined;
  }

  byInventoryPath(path: string): InventoryObject | undefined {
    return this.byPath.get(path);
  }

  /** Objects directly below `ref` (by their parent property). */
  children(ref: MoRef): InventoryObject[] {
    const k = key(ref);
    return [...this.byKey.values()].filter((o) => o.parent && key(o.parent) === k);
  }

  /** Every object below `ref`, any depth. */
  descendants(ref: MoRef): InventoryObject[] {
    const prefix = `${this.get(ref)?.path ?? ''}/`;
    return [...this.byKey.values()].filter((o) => o.path.startsWith(prefix));
  }

  /** The datacenter an object lives in. */
  datacenterOf(ref: MoRef): InventoryObject | undefined {
    for (let o = this.get(ref); o; o = this.get(o.parent)) if (o.ref.type === 'Datacenter') return o;
    return undefined;
  }

  private computePath(o: InventoryObject): string {
    const parts: string[] = [];
    const seen = new Set<string>();
    for (let cur: InventoryObject | undefined = o; cur; cur = this.get(cur.parent)) {
      if (seen.has(key(cur.ref))) break;
      seen.add(key(cur.ref));
      if (!cur.parent) break; // the root folder has no name in paths
      parts.unshift(escapeName(cur.name));
    }
    return `/${parts.join('/')}`;
  }
}

/** Slashes in names are escaped as %2f, as vSphere does in inventory paths. */
export function escapeName(name: string): string {
  return name.replace(/%/g, '%25').replace(/\//g, '%2f');
}

function key(ref: MoRef): string {
  return `${ref.type}:${ref.value}`;
}

/** Reads the inventory below the root folder (or `root`) in one call (plus pages). */
export async function loadInventory(session: Session, o: LoadInventoryOptions = {}): Promise<Inventory> {
  const root = o.root ?? session.content.rootFolder;
  const types: string[] = [...CONTAINER_TYPES, ...(o.includeVMs ? ['VirtualMachine'] : [])];
  const spec: PropertyFilterSpec = {
    propSet: types.map((type) => ({ type, pathSet: ['name', 'parent', ...(o.extraPaths?.[type] ?? [])] })),
    objectSet: [{ obj: root, skip: false, selectSet: selectSpecs(!!o.includeVMs) }],
  };
  const found = await retrieve(session, [spec], { tolerateMissing: true });
  const objects: InventoryObject[] = found.map(({ ref, props }) => {
    const { name, parent, ...rest } = props as { name: string; parent?: MoRef } & Record<string, unknown>;
    // vSphere escapes "/" in names as %2f on the wire already; decode the other escapes it uses.
    return { ref, name: decodeName(name), parent, path: '', props: rest };
  });
  // A partial read (root is a datacenter) still needs the ancestors for absolute paths.
  if (o.root && o.root.value !== session.content.rootFolder.value) {
    const ancestors = await readAncestors(session, objects.find((x) => x.ref.value === root.value)?.parent);
    objects.push(...ancestors);
  }
  return new Inventory(objects);
}

function decodeName(n: string): string {
  return n.replace(/%2f/gi, '/').replace(/%5c/gi, '\\').replace(/%25/g, '%');
}

async function readAncestors(session: Session, start: MoRef | undefined): Promise<InventoryObject[]> {
  const out: InventoryObject[] = [];
  for (let ref = start; ref;) {
    const res = await retrieve(session, [{ propSet: [{ type: ref.type, pathSet: ['name', 'parent'] }], objectSet: [{ obj: ref }] }]);
    const p = res[0]?.props as { name: string; parent?: MoRef } | undefined;
    if (!p) break;
    out.push({ ref, name: decodeName(p.name), parent: p.parent, path: '', props: {} });
    ref = p.parent;
  }
  return out;
}

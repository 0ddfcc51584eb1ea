// POST /target/{target}[/datacenter/{datacenter}]/vch?dry_run=true (an extension): `vic-machine create --dry-run`.
// The body is validated exactly as create validates it (the same input, the same request, the same validation
// against vSphere: src/vic/create/create-vch.ts planCreate) and the plan is answered: what create would make, by kind,
// with names and paths as they will be in vSphere, and the warnings. Read-only: it runs on the caller's pooled (or
// console) session, so it logs in to nothing of its own and leaves no session; nothing is made in vSphere, nothing
// uploaded, and the working folder of PEM inputs is removed. Problems are create's, named by the body's JSON path.
import { planCreate } from '../../vic/create/create-vch.js';
import type { CreateDryRun } from '../../vic/create/dry-run.js';
import { badRequest } from '../api-error.js';
import type { Reply, RequestContext } from '../router.js';
import type { VsphereTarget } from '../vsphere-target.js';
import { withCreateRequest, type CreateInput } from './create-input.js';

/** `?dry_run=true|false` (absent: false). */
export function dryRunAsked(ctx: RequestContext): boolean {
  const v = ctx.query.get('dry_run');
  if (v === null || v === 'false') return false;
  if (v === 'true') return true;
  throw badRequest(`dry_run must be true or false, not "${v}"`, 'dry_run');
}

/** The plan in the API's words (snake_case), as the served spec's VCH_Create_Plan says. */
export function planModel(d: CreateDryRun, warnings: readonly string[]): Record<string, unknown> {
  const m = d.made;
  return {
    dry_run: true, name: d.name, datacenter: d.datacenter, compute_resource: d.computeResource, topology: d.topology, tls: d.tls,
    resource_pool: m.resourcePool,
    ...(m.vmFolder ? { vm_folder: m.vmFolder } : {}),
    vm: { name: m.vm.name, cpus: m.vm.cpus, memory_mb: m.vm.memoryMB, datastore: m.vm.datastore, folder: m.vm.folder },
    image_store: m.imageStore,
    datastore_folders: m.datastoreFolders,
    uploads: m.uploads,
    networks: m.networks.map((n) => ({ role: n.role, port_group: n.portGroup, action: n.action })),
    container_networks: m.containerNetworks.map((n) => ({ alias: n.alias, port_group: n.portGroup })),
    volume_stores: m.volumeStores,
    certificates: m.certificates.map((c) => ({ kind: c.kind, action: c.action, ...(c.subject ? { subject: c.subject } : {}), ...(c.altNames?.length ? { alt_names: c.altNames } : {}) })),
    ...(m.dockerHost ? { docker_host: m.dockerHost } : {}),
    nics: d.nics.map((n) => ({ port_group: n.portGroup, roles: n.roles, pci_slot: n.pciSlot })),
    // the server's working folder (certificate files) and ISO paths are its own business, not the VCH's
    actions: d.actions.filter((a) => a.object !== 'local file').map((a) => ({ object: a.object, action: a.action, target: a.target,
      ...(a.details && a.object !== 'upload' ? { details: a.details } : {}) })),
    warnings: [...new Set([...warnings, ...d.warnings])],
    notes: d.notes,
  };
}

export function planReply(ctx: RequestContext, t: VsphereTarget, input: CreateInput): Promise<Reply> {
  return ctx.server.pool.withSession(t.credentials, t.pool, (session) => withCreateRequest(t, session, input, { login: false }, async (request) => {
    // as the CLI's create says it before it validates
    const warnings: string[] = input.spec.endpoint.operationsCredentials ? []
      : ['Using administrative user for VCH operation - give endpoint.operations_credentials to improve security'];
    const dry = await planCreate(request, { log: (level, m) => { if (level === 'warn') warnings.push(m); } }, { session });
    return { status: 200, body: planModel(dry, warnings) };
  }));
}

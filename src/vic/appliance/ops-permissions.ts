// `--ops-grant-perms`: the roles and permissions vic-machine 1.5 gives the ops user (lib/install/opsuser), so that
// the VCH can run as a user with only what it needs. Roles `vic-vch-<name>` are created when missing (and completed
// when an older one lacks privileges); the ops user is then given, on each object, the role for it:
//
//   vCenter root folder      vic-vch-vcenter     not propagated
//   datacenter               vic-vch-datacenter  propagated
//   cluster                  vic-vch-datastore (DRS on), vic-vch-endpoint-datastore (DRS off: no pool of its own),
//                            vic-vch-cluster (--affinity-vm-group: it edits the cluster's VM groups)   propagated
//   image/volume datastores  vic-vch-datastore   not propagated
//   container networks       vic-vch-network     propagated
//   the VCH's resource pool  vic-vch-endpoint    propagated
//
// An ops user that already has the Admin role somewhere is left alone, with the original's warning. Everything
// this run adds is recorded for rollback: roles it created are removed, permissions it set are removed.
import { VimFault } from '../../vim/faults.js';
import {
  AddAuthorizationRole, RemoveAuthorizationRole, RemoveEntityPermission, RetrieveAllPermissions, SetEntityPermissions, UpdateAuthorizationRole,
} from '../../vim/methods.generated.js';
import { retrieveOne } from '../../vim/property-collector.js';
import { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import type { CertificatePin } from '../../vim/thumbprint.js';
import type { ValidationIssue } from '../validate/types.js';

const ROLE_PREFIX = 'vic-vch-';
const DATASTORE_PRIVILEGES = [
  'Datastore.AllocateSpace', 'Datastore.Browse', 'Datastore.Config', 'Datastore.DeleteFile', 'Datastore.FileManagement',
  'Host.Config.SystemManagement',
];
const ENDPOINT_PRIVILEGES = [
  'DVPortgroup.Modify', 'DVPortgroup.PolicyOp', 'DVPortgroup.ScopeOp', 'Resource.AssignVMToPool', 'Resource.ColdMigrate',
  'VirtualMachine.Config.AddExistingDisk', 'VirtualMachine.Config.AddNewDisk', 'VirtualMachine.Config.AddRemoveDevice',
  'VirtualMachine.Config.AdvancedConfig', 'VirtualMachine.Config.EditDevice', 'VirtualMachine.Config.RemoveDisk',
  'VirtualMachine.Config.Rename', 'VirtualMachine.GuestOperations.Execute', 'VirtualMachine.Interact.DeviceConnection',
  'VirtualMachine.Interact.PowerOff', 'VirtualMachine.Interact.PowerOn', 'VirtualMachine.Inventory.Create',
  'VirtualMachine.Inventory.Delete', 'VirtualMachine.Inventory.Register', 'VirtualMachine.Inventory.Unregister',
];

/** The ops user's roles, by name without the `vic-vch-` prefix. */
export const OPS_ROLES: Readonly<Record<string, readonly string[]>> = {
  vcenter: ['Datastore.Config'],
  datacenter: ['Datastore.Config', 'Datastore.FileManagement'],
  cluster: [
    'Datastore.AllocateSpace', 'Datastore.Browse', 'Datastore.Config', 'Datastore.DeleteFile', 'Datastore.FileManagement',
    'Host.Config.SystemManagement', 'Host.Inventory.EditCluster',
  ],
  datastore: DATASTORE_PRIVILEGES,
  network: ['Network.Assign'],
  endpoint: ENDPOINT_PRIVILEGES,
  'endpoint-datastore': [...DATASTORE_PRIVILEGES, ...ENDPOINT_PRIVILEGES],
};

/** vSphere's built-in Admin role. */
const ADMIN_ROLE_ID = -1;

export interface OpsPermissionTargets {
  opsUser: string;
  rootFolder: MoRef;
  datacenter: MoRef;
  cluster: MoRef;
  /** DRS off: the VCH lives in the cluster's root pool, so the cluster gets the endpoint privileges too */
  drsEnabled: boolean;
  affinityVmGroup: boolean;
  datastores: MoRef[];
  containerNetworks: MoRef[];
  vchPool: MoRef;
  /** every permission, as validation read it moments ago (checkOpsUser): not read a second time */
  knownPermissions?: readonly Permission[] | undefined;
}

export interface GrantResult {
  skipped?: string[];
  /** "vic-vch-endpoint on resgroup-70", in the order set */
  granted: string[];
  createdRoles: string[];
}

interface Role { roleId: number; name: string; privilege?: string[] }
export interface Permission { entity?: MoRef; principal: string; group: boolean; roleId: number; propagate: boolean }

export interface GrantJournal {
  record(what: string, undo: () => Promise<void>): void;
}

/**
 * The principal as vSphere writes it in permissions ("VSPHERE.LOCAL\\ops"): the user as given, and without its
 * domain, so that "ops@vsphere.local" and "VSPHERE.LOCAL\\ops" both match.
 */
function samePrincipal(a: string, b: string): boolean {
  const bare = (p: string) => p.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase();
  return a.toLowerCase() === b.toLowerCase() || bare(a) === bare(b);
}

export async function grantOpsUserPermissions(session: Session, t: OpsPermissionTargets, journal: GrantJournal): Promise<GrantResult> {
  const am = session.content['authorizationManager'] as MoRef | undefined;
  if (!am) throw new VimFault('NotSupported', 'the target has no authorization manager; --ops-grant-perms needs vCenter');
  const all = t.knownPermissions ?? (await RetrieveAllPermissions(session, { _this: am }));
  if (all.some((p) => !p.group && p.roleId === ADMIN_ROLE_ID && samePrincipal(p.principal, t.opsUser))) {
    return {
      granted: [], createdRoles: [],
      skipped: [
        `Skipping ops-user Role/Permissions initialization. The current ops-user (${t.opsUser}) has administrative privileges.`,
        `This occurs when "${t.opsUser}" is a member of the "Administrators" group or has been granted "Admin" role to any of the resources in the system.`,
      ],
    };
  }

  // Roles: one read of the role list, then only what is missing or incomplete.
  const { roleList } = await retrieveOne<{ roleList?: Role[] }>(session, am, ['roleList']);
  const roleIds = new Map<string, number>();
  const createdRoles: string[] = [];
  for (const [short, privileges] of Object.entries(OPS_ROLES)) {
    const name = ROLE_PREFIX + short;
    const existing = (roleList ?? []).find((r) => r.name === name);
    if (!existing) {
      await AddAuthorizationRole(session, { _this: am, name, privIds: [...privileges] });
      journal.record(`role ${name}`, async () => {
        await RemoveAuthorizationRole(session, { _this: am, roleId: roleIds.get(name)!, failIfUsed: false });
      });
      createdRoles.push(name);
      continue;
    }
    roleIds.set(name, existing.roleId);
    const have = new Set(existing.privilege ?? []);
    const missing = privileges.filter((p) => !have.has(p));
    if (missing.length) {
      // Completed, not replaced: other VCHs' ops users may rely on what the role already grants.
      await UpdateAuthorizationRole(session, { _this: am, roleId: existing.roleId, newName: name, privIds: [...have, ...missing] });
    }
  }

  // The new roles' ids are read back from the role list (one round trip, only when roles were created): vSphere
  // answers AddAuthorizationRole with the id, but govmomi's simulator answers 0 for every role.
  if (createdRoles.length) {
    const again = (await retrieveOne<{ roleList?: Role[] }>(session, am, ['roleList'])).roleList ?? [];
    for (const n of createdRoles) {
      const id = again.find((r) => r.name === n)?.roleId;
      if (id === undefined) throw new Error(`role ${n} was created but is not in the role list`);
      roleIds.set(n, id);
    }
  }

  const clusterRole = t.affinityVmGroup ? 'cluster' : t.drsEnabled ? 'datastore' : 'endpoint-datastore';
  const grants: { entity: MoRef; role: string; propagate: boolean }[] = [
    { entity: t.rootFolder, role: 'vcenter', propagate: false },
    { entity: t.datacenter, role: 'datacenter', propagate: true },
    { entity: t.cluster, role: clusterRole, propagate: true },
    ...dedupe(t.datastores).map((entity) => ({ entity, role: 'datastore', propagate: false })),
    ...dedupe(t.containerNetworks).map((entity) => ({ entity, role: 'network', propagate: true })),
    { entity: t.vchPool, role: 'endpoint', propagate: true },
  ];
  const granted: string[] = [];
  for (const g of grants) {
    const roleName = ROLE_PREFIX + g.role;
    await SetEntityPermissions(session, {
      _this: am, entity: g.entity,
      permission: [{ entity: g.entity, principal: t.opsUser, group: false, roleId: roleIds.get(roleName)!, propagate: g.propagate }],
    });
    journal.record(`permission ${roleName} for ${t.opsUser} on ${g.entity.value}`, () =>
      RemoveEntityPermission(session, { _this: am, entity: g.entity, user: t.opsUser, isGroup: false })
        .then(() => undefined, (e: unknown) => { if (!(e instanceof VimFault && e.faultName === 'ManagedObjectNotFound')) throw e; }));
    granted.push(`${roleName} on ${g.entity.value}`);
  }
  return { granted, createdRoles };
}

function dedupe(refs: readonly MoRef[]): MoRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => !seen.has(r.value) && seen.add(r.value));
}

export interface OpsUserCheck {
  url: URL;
  opsUser: string;
  opsPassword: string;
  thumbprint?: CertificatePin | undefined;
  requestTimeoutMs?: number | undefined;
  grantPerms: boolean;
  userAgent: string;
}

export interface OpsUserCheckResult {
  /** each naming its flag */
  problems: ValidationIssue[];
  /** every permission on the target, when --ops-grant-perms needed them read: the grant reuses them */
  permissions?: Permission[];
}

/**
 * Validation of the ops user, as vic-machine 1.5 does it: a login of its own with the ops credentials (then logged
 * out), and, for --ops-grant-perms, a refusal when the ops user already holds the Admin role (the roles would change
 * nothing and would hide that the VCH runs as an administrator). Returns the problems, each naming its flag.
 */
export async function checkOpsUser(admin: Session, c: OpsUserCheck): Promise<OpsUserCheckResult> {
  const problems: ValidationIssue[] = [];
  let permissions: Permission[] | undefined;
  try {
    const ops = await Session.connect({
      url: c.url, user: c.opsUser, password: c.opsPassword, trust: { thumbprint: c.thumbprint }, userAgent: c.userAgent,
      requestTimeoutMs: c.requestTimeoutMs,
    });
    await ops.logout();
  } catch (e) {
    const reason = e instanceof VimFault && e.faultName === 'InvalidLogin' ? 'the user name or password is wrong' : (e as Error).message;
    problems.push({ code: 'ops-user-invalid', flag: '--ops-user', message: `Failed to validate operations credentials for ${c.opsUser}: ${reason}. Check --ops-user and --ops-password` });
  }
  if (c.grantPerms) {
    const am = admin.content['authorizationManager'] as MoRef | undefined;
    const all = permissions = am ? await RetrieveAllPermissions(admin, { _this: am }) : [];
    if (all.some((p) => !p.group && p.roleId === ADMIN_ROLE_ID && samePrincipal(p.principal, c.opsUser))) {
      problems.push({ code: 'ops-user-is-admin', flag: '--ops-grant-perms', message: `Cannot grant ops-user permissions as ${c.opsUser} has administrative privileges; use an ops user without the Admin role, or leave out --ops-grant-perms` });
    }
  }
  return { problems, ...(permissions ? { permissions } : {}) };
}

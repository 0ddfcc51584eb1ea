// `update firewall` (reference §5.5): enable (--allow) or disable (--deny) the host firewall ruleset that lets the
// appliance reach dst 2377/tcp outbound, on every host of the compute resource.
//
// vic-machine 1.5 called EnableRuleset("vic-engine") on each host and, when that failed, EnableRuleset("vSPC"): two
// calls per host on vSphere 6.5, and a message that always said "vic-engine". Here the hosts' firewall rulesets are
// read first in ONE call, which says which ruleset each host has ("vic-engine" on 6.7+, else "vSPC") and whether it
// is already in the wanted state; only hosts that need a change get a call, and the messages name the ruleset used.
// After the change each host's rules are checked again (locally, with the validation's own rule) so that the report
// says whether 2377/tcp outbound is now permitted — a --deny that leaves another ruleset open, or an --allow on a
// ruleset restricted to some addresses, is reported rather than silently "done".
import type { InventoryObject } from '../../vim/inventory.js';
import { DisableRuleset, EnableRuleset } from '../../vim/methods.generated.js';
import { retrieveProperties } from '../../vim/property-collector.js';
import type { Session } from '../../vim/session.js';
import type { MoRef } from '../../vim/types.js';
import { resolveScope } from '../vch/find.js';
import { VchError } from '../vch/errors.js';
import { firewallVerdict, type FirewallInfoLike } from '../validate/index.js';

export type FirewallAction = 'allow' | 'deny';

/** The rulesets that permit outbound 2377/tcp, in order of preference: vSphere 6.7+'s own, then 6.5's "all outbound TCP". */
export const VIC_RULESETS = ['vic-engine', 'vSPC'] as const;

export interface HostFirewallChange {
  /** `HostSystem:host-21` */
  id: string;
  /** inventory path, e.g. /DC0/host/DC0_C0/DC0_C0_H0 */
  path: string;
  /** the ruleset changed (or that was already in the wanted state); absent when the host has neither */
  ruleset?: string;
  /** ruleset state before; absent when unknown */
  enabledBefore?: boolean;
  /** a call was made (false: already in the wanted state, or failed before the call) */
  changed: boolean;
  /** whether 2377/tcp outbound is permitted afterwards: the validation's verdict on the host's rules */
  outbound2377: 'permitted' | 'blocked' | 'restricted' | 'not-blocked-by-policy' | 'unknown';
  error?: string;
}

export interface FirewallReport {
  action: FirewallAction;
  /** the cluster or host whose hosts were changed */
  computeResource: string;
  hosts: HostFirewallChange[];
}

export interface UpdateFirewallOptions {
  action: FirewallAction;
  datacenterPath?: string | undefined;
  /** see ScopeOptions.datacenterId */
  datacenterId?: string | undefined;
  /** --compute-resource; "" = the datacenter's only compute resource */
  computeResource: string;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

const COMPUTE_TYPES = new Set(['ClusterComputeResource', 'ComputeResource']);

/** `HostSystem:host-21 @ /DC0/host/DC0_C0/DC0_C0_H0`, as the original printed a host (`%q` of the govmomi object). */
export function hostLabel(h: Pick<HostFirewallChange, 'id' | 'path'>): string {
  return `${h.id} @ ${h.path}`;
}

/** The warning vic-machine 1.5 printed before changing anything (§5.5 step 2), one entry per line. */
export function firewallWarning(action: FirewallAction): string[] {
  return action === 'allow'
    ? ['This command modifies the host firewall on the target machine or cluster',
      'The ruleset "vic-engine" (vSphere 6.7+) or "vSPC" (vSphere 6.5) will be enabled',
      'This allows outbound 2377/tcp ("vic-engine") or all outbound tcp ("vSPC") traffic from the target',
      'To undo this modification use --deny']
    : ['This command modifies the host firewall on the target machine or cluster',
      'The ruleset "vic-engine" (vSphere 6.7+) or "vSPC" (vSphere 6.5) will be disabled',
      'This disables the ruleset that allows all outbound TCP traffic from the target',
      'VIC Engine will not function unless 2377/tcp outbound is allowed',
      'To undo this modification use --allow'];
}

/** Which of the VIC rulesets a host has (the first of VIC_RULESETS present), or undefined. */
export function pickRuleset(info: FirewallInfoLike | undefined): string | undefined {
  const keys = new Set((info?.ruleset ?? []).map((r) => r.key));
  return VIC_RULESETS.find((k) => keys.has(k));
}

/** The host's rules with `ruleset` set to `enabled`: what the host will have once the call succeeded. */
export function withRuleset(info: FirewallInfoLike, ruleset: string, enabled: boolean): FirewallInfoLike {
  return { ...info, ruleset: (info.ruleset ?? []).map((r) => (r.key === ruleset ? { ...r, enabled } : r)) };
}

function outboundVerdict(info: FirewallInfoLike | undefined): HostFirewallChange['outbound2377'] {
  const v = firewallVerdict(info);
  switch (v.status) {
    case 'ok': return 'permitted';
    case 'blocked': return 'blocked';
    case 'restricted': case 'excluded': return 'restricted';
    case 'unblocked': return 'not-blocked-by-policy';
    default: return 'unknown';
  }
}

/** The compute resource whose hosts to change: --compute-resource, or the datacenter's only one. */
async function computeResourceOf(session: Session, o: Omit<UpdateFirewallOptions, 'action'>) {
  const extraPaths = { HostSystem: ['configManager.firewallSystem'] };
  const scope = await resolveScope(session, { datacenterPath: o.datacenterPath, datacenterId: o.datacenterId, computeResource: o.computeResource || undefined, extraPaths, ...(o.log ? { log: o.log } : {}) });
  if (scope.computeResource) return { scope, cr: scope.computeResource };
  const all = scope.datacenters.flatMap((dc) => scope.finder.all('compute', dc).filter((x) => COMPUTE_TYPES.has(x.ref.type)));
  if (all.length === 1) return { scope, cr: all[0]! };
  const names = all.map((x) => `"${scope.finder.relativePath(x, 'compute')}"`).sort();
  throw new VchError('usage', all.length ? `--compute-resource must name the cluster or host whose firewall to change: there are ${all.length}` : 'no compute resource found in the datacenter',
    names.length ? `suggested values: ${names.join(', ')}` : undefined, '--compute-resource', all.length ? 'compute-resource-required' : 'compute-resource-not-found');
}

/**
 * Enables or disables the VIC ruleset on every host of the compute resource. Round trips: the inventory (1), the
 * hosts' firewall rules (1), one Enable/DisableRuleset per host that is not already in the wanted state (in
 * parallel). Throws a VchError naming every host that failed, after trying all of them.
 */
export async function updateFirewall(session: Session, o: UpdateFirewallOptions): Promise<FirewallReport> {
  const { scope, cr } = await computeResourceOf(session, o);
  const hosts: InventoryObject[] = scope.inventory.children(cr.ref).filter((h) => h.ref.type === 'HostSystem');
  const crName = scope.finder.relativePath(cr, 'compute');
  if (hosts.length === 0) throw new VchError('not-found', `No hosts to modify in compute resource "${crName}"`, undefined, '--compute-resource');

  const fwOf = (h: InventoryObject) => h.props['configManager.firewallSystem'] as MoRef | undefined;
  const fwRefs = hosts.map(fwOf).filter((r): r is MoRef => !!r);
  const infos = new Map<string, FirewallInfoLike | undefined>();
  for (const { ref, props } of await retrieveProperties<{ firewallInfo?: FirewallInfoLike }>(session, fwRefs, ['firewallInfo'])) {
    infos.set(ref.value, props.firewallInfo);
  }

  const enable = o.action === 'allow';
  const method = enable ? EnableRuleset : DisableRuleset;
  const verb = enable ? 'enabled' : 'disabled';
  const results = await Promise.all(hosts.map(async (h): Promise<HostFirewallChange> => {
    const fw = fwOf(h);
    const info = fw ? infos.get(fw.value) : undefined;
    const r: HostFirewallChange = { id: `${h.ref.type}:${h.ref.value}`, path: h.path, changed: false, outbound2377: outboundVerdict(info) };
    if (!fw || !info) return { ...r, error: 'the host has no firewall information (disconnected, or no firewall system)' };
    const ruleset = pickRuleset(info);
    if (!ruleset) return { ...r, error: `the host has neither of the rulesets ${VIC_RULESETS.map((k) => `"${k}"`).join(', ')}` };
    r.ruleset = ruleset;
    r.enabledBefore = info.ruleset?.find((x) => x.key === ruleset)?.enabled === true;
    if (r.enabledBefore === enable) return r;
    try {
      await method(session, { _this: fw, id: ruleset }, o.signal ? { signal: o.signal } : undefined);
    } catch (e) {
      return { ...r, error: (e as Error).message };
    }
    return { ...r, changed: true, outbound2377: outboundVerdict(withRuleset(info, ruleset, enable)) };
  }));

  for (const r of results) {
    if (r.error) o.log?.(`Failed to ${enable ? 'enable' : 'disable'} ruleset${r.ruleset ? ` "${r.ruleset}"` : ''} on host "${hostLabel(r)}": ${r.error}`);
    else o.log?.(`Ruleset "${r.ruleset}" ${r.changed ? verb : `already ${verb}`} on host "${hostLabel(r)}"`);
  }
  const failed = results.filter((r) => r.error);
  if (failed.length) {
    const err = new VchError('internal', `Failed to ${enable ? 'enable' : 'disable'} VIC firewall rule on ${failed.length} of ${results.length} hosts: ${failed.map((r) => `"${r.path}" (${r.error})`).join(', ')}`,
      results.some((r) => r.changed) ? `the other hosts were changed: to undo, run the same command with ${enable ? '--deny' : '--allow'}` : undefined);
    (err as VchError & { report?: FirewallReport }).report = { action: o.action, computeResource: crName, hosts: results };
    throw err;
  }
  return { action: o.action, computeResource: crName, hosts: results };
}

export interface HostFirewallState {
  id: string;
  path: string;
  /** the VIC ruleset the host has, if any, and whether it is enabled */
  ruleset?: string;
  enabled?: boolean;
  /** whether 2377/tcp outbound is permitted: what create's validation requires */
  outbound2377: HostFirewallChange['outbound2377'];
}

/** The firewall state of every host of the compute resource, read only (vic-machine-server's GET /target/{target}): 2 round trips. */
export async function firewallStatus(session: Session, o: Omit<UpdateFirewallOptions, 'action' | 'signal'>): Promise<{ computeResource: string; hosts: HostFirewallState[] }> {
  const { scope, cr } = await computeResourceOf(session, o);
  const hosts = scope.inventory.children(cr.ref).filter((h) => h.ref.type === 'HostSystem');
  const fwOf = (h: InventoryObject) => h.props['configManager.firewallSystem'] as MoRef | undefined;
  const infos = new Map<string, FirewallInfoLike | undefined>();
  const refs = hosts.map(fwOf).filter((r): r is MoRef => !!r);
  if (refs.length) {
    for (const { ref, props } of await retrieveProperties<{ firewallInfo?: FirewallInfoLike }>(session, refs, ['firewallInfo'])) infos.set(ref.value, props.firewallInfo);
  }
  return {
    computeResource: scope.finder.relativePath(cr, 'compute'),
    hosts: hosts.map((h) => {
      const fw = fwOf(h);
      const info = fw ? infos.get(fw.value) : undefined;
      const ruleset = pickRuleset(info);
      return {
        id: `${h.ref.type}:${h.ref.value}`, path: h.path, outbound2377: outboundVerdict(info),
        ...(ruleset ? { ruleset, enabled: info?.ruleset?.find((x) => x.key === ruleset)?.enabled === true } : {}),
      };
    }),
  };
}

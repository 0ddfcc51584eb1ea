// Checks of the input alone (no inventory): the VCH name, container-network options, volume-store labels, static
// addresses, the storage quota. validateCreate runs them too, so that every problem is reported in one go.
import type { NormalizedInput } from './context.js';
import { cidrContains, formatIpv4, formatIpv4Cidr, networkOf, parseIpv4, parseIpv4Cidr, type Ipv4Cidr } from '../spec/values/ipv4.js';
import { parseIpv4Range, rangesOverlap, type Ipv4Range } from '../spec/values/ip-range.js';
import { tryParse } from '../spec/values/value-error.js';
import { asList, FIREWALL_LEVELS, isRoutableGateway, nameProblems, parseFirewallLevel } from './parse.js';
import { checkApplianceNetworks } from './preflight.js';
import type { ValidationCode, ValidationIssue } from './types.js';

export function checkInput(input: NormalizedInput): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (code: ValidationCode, flag: string, message: string, suggestions?: string[]): void => {
    issues.push(suggestions ? { code, flag, message, suggestions } : { code, flag, message });
  };

  for (const m of nameProblems(input.name)) add('name-invalid', '--name', m);

  // Container networks
  const aliases = new Map<string, string>();
  const vsphereNames = new Set<string>();
  for (const cn of input.containerNetworks) {
    const alias = cn.alias || cn.vsphereName;
    if (!cn.vsphereName.trim()) add('container-network-invalid', '--container-network', `Container network not specified in parameter ${cn.vsphereName}:${alias}`);
    if (alias === 'bridge') add('container-network-invalid', '--container-network', 'Cannot use reserved name "bridge" for container network');
    if (/\s/.test(alias)) {
      add('container-network-invalid', '--container-network', alias === cn.vsphereName
        ? `A network alias must be supplied when network name "${cn.vsphereName}" contains spaces.`
        : `The network alias supplied in "${cn.vsphereName}:${alias}" cannot contain spaces.`);
    }
    if (aliases.has(alias)) add('container-network-invalid', '--container-network', `Container network alias "${alias}" is used for both "${aliases.get(alias)}" and "${cn.vsphereName}"`);
    else aliases.set(alias, cn.vsphereName);
    if (vsphereNames.has(cn.vsphereName)) add('container-network-invalid', '--container-network', `Container network "${cn.vsphereName}" is specified more than once`);
    vsphereNames.add(cn.vsphereName);

    let gw: Ipv4Cidr | undefined;
    if (cn.gateway !== undefined && cn.gateway.trim() !== '') {
      const g = tryParse(() => parseIpv4Cidr(cn.gateway!));
      if ('error' in g) add('gateway-invalid', '--container-network-gateway', `Error parsing container network parameter ${cn.vsphereName}:${cn.gateway}: gateway must be IP/prefix, e.g. 172.16.0.1/16`);
      else if (!isRoutableGateway(g.value)) add('gateway-invalid', '--container-network-gateway', `Gateway ${formatIpv4(g.value.address)} is not a routable address`);
      else gw = g.value;
    }
    const ranges = asList(cn.ipRange);
    if (ranges.length && !cn.gateway) add('ip-range-invalid', '--container-network-ip-range', `IP range specified without gateway for container network "${alias}"`);
    const parsed: { text: string; range: Ipv4Range }[] = [];
    for (const r of ranges) {
      const p = tryParse(() => parseIpv4Range(r));
      if ('error' in p) {
        add('ip-range-invalid', '--container-network-ip-range', `Error parsing container network parameter ${cn.vsphereName}:${r}: expected CIDR (10.0.0.0/24) or first-last (10.0.0.10-10.0.0.20)`);
        continue;
      }
      if (gw && !(cidrContains(gw, p.value.first) && cidrContains(gw, p.value.last))) {
        add('ip-range-invalid', '--container-network-ip-range', `IP range "${r}" is not in subnet "${formatIpv4Cidr(networkOf(gw))}"`);
      }
      for (const q of parsed) {
        if (rangesOverlap(p.value, q.range)) add('ip-range-invalid', '--container-network-ip-range', `Overlapping ip ranges: "${r}" "${q.text}"`);
      }
      parsed.push({ text: r, range: p.value });
    }
    for (const d of asList(cn.dns)) {
      if ('error' in tryParse(() => parseIpv4(d))) add('dns-server-invalid', '--container-network-dns', `Error parsing container network parameter ${cn.vsphereName}:${d}: "${d}" is not an IPv4 address`);
    }
    if (cn.firewall !== undefined && !parseFirewallLevel(cn.firewall)) {
      add('firewall-level-invalid', '--container-network-firewall', `Unrecognized container trust level ${cn.firewall}.`, [...FIREWALL_LEVELS]);
    }
  }

  // Volume stores
  const labels = new Set<string>();
  for (const vs of input.volumeStores) {
    if (!vs.label) add('volume-store-invalid', '--volume-store', 'volume store input must be in format <datastore url w/ path>:label or nfs://<host>/<url-path>?<mount option as query parameters>:<label>');
    else if (labels.has(vs.label)) add('volume-store-invalid', '--volume-store', `Volume store label "${vs.label}" is used more than once`);
    labels.add(vs.label);
  }

  // Static addresses (the rule create and configure check before connecting)
  const net = (network: string, st: { ip: string; gateway?: string | undefined } | undefined) => ({ network, ip: st?.ip, gateway: st?.gateway });
  issues.push(...checkApplianceNetworks({
    public: net(input.publicNetwork, input.staticIp?.public), client: net(input.clientNetwork, input.staticIp?.client),
    management: net(input.managementNetwork, input.staticIp?.management),
  }));

  if (input.storageQuotaGB !== undefined && (!Number.isFinite(input.storageQuotaGB) || input.storageQuotaGB < 0)) {
    add('storage-quota-invalid', '--storage-quota', `Invalid storage quota ${input.storageQuotaGB}: give a number of GB (0 = unlimited)`);
  }
  return issues;
}

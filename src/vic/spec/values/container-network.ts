// Container-network references, one parser for create and configure alike (vic's cmd/vic-machine/common/cnetworks.go):
//   --container-network           vsphere-name[:alias]
//   --container-network-gateway   vsphere-name:gateway/prefix
//   --container-network-ip-range  vsphere-name:range      (repeatable per network)
//   --container-network-dns       vsphere-name:address    (repeatable per network)
//   --container-network-firewall  vsphere-name:level
// Each value has at most one colon (1.5 refuses more: the name and the value hold none), and every per-network value
// must name a network that a --container-network gives: a mistyped name is refused, naming the flag, before anything
// connects (create once split at the first colon and configure at the last, and dropped such a value silently).
import { FIREWALL_LEVELS, type ContainerNetworkFirewall, type ContainerNetworkSpec, type SpecProblem } from '../vch-spec.js';

export interface ContainerNetworkFlagValues {
  containerNetwork: readonly string[];
  containerNetworkGateway: readonly string[];
  containerNetworkIpRange: readonly string[];
  containerNetworkDns: readonly string[];
  containerNetworkFirewall: readonly string[];
}

/** `vsphere-name[:alias]` split; the alias is the vSphere name when none is given. */
export interface ContainerNetworkRef {
  vsphereName: string;
  alias: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** vic's splitVnetParam: at most one colon, a network name, no spaces in an alias, an alias for a name with spaces. */
function split(text: string): Parsed<{ name: string; value: string | undefined }> {
  const parts = text.split(':');
  if (parts.length > 2) return { ok: false, message: `Invalid value for parameter ${text}` };
  const name = parts[0]!;
  if (name === '') return { ok: false, message: `Container network not specified in parameter ${text}` };
  const value = parts[1];
  if (name.includes(' ') && !value) return { ok: false, message: `A network alias must be supplied when network name "${text}" contains spaces.` };
  return { ok: true, value: { name, value } };
}

/** `--container-network vsphere-name[:alias]`. */
export function parseContainerNetworkRef(text: string): Parsed<ContainerNetworkRef> {
  const s = split(text);
  if (!s.ok) return s;
  const { name, value } = s.value;
  if (value !== undefined && value.includes(' ')) return { ok: false, message: `The network alias supplied in "${text}" cannot contain spaces.` };
  return { ok: true, value: { vsphereName: name, alias: value || name } };
}

/** The text of a reference: `name` when the alias is the name, else `name:alias`. */
export function formatContainerNetworkRef(r: ContainerNetworkRef): string {
  return r.alias === r.vsphereName ? r.vsphereName : `${r.vsphereName}:${r.alias}`;
}

/** One `vsphere-name:value` of a per-network flag. */
export function parseNetworkValue(text: string): Parsed<{ vsphereName: string; value: string }> {
  const s = split(text);
  if (!s.ok) return { ok: false, message: `Error parsing container network parameter ${text}: ${s.message}` };
  if (s.value.value === undefined || s.value.value.trim() === '') {
    return { ok: false, message: `Error parsing container network parameter ${text}: expected <vsphere-network>:<value>` };
  }
  return { ok: true, value: { vsphereName: s.value.name, value: s.value.value.trim() } };
}

export function parseFirewallLevel(s: string): ContainerNetworkFirewall | undefined {
  const l = s.trim().toLowerCase();
  return (FIREWALL_LEVELS as readonly string[]).includes(l) ? (l as ContainerNetworkFirewall) : undefined;
}

const WHAT: Record<string, string> = {
  '--container-network-gateway': 'gateway',
  '--container-network-ip-range': 'ip range',
  '--container-network-dns': 'dns',
  '--container-network-firewall': 'firewall',
};

/**
 * The container networks the five flags describe, in --container-network order, or every problem with them. Values
 * are checked for form here (the firewall level); addresses and ranges are checked with the rest of the input.
 */
export function containerNetworksFromFlags(f: ContainerNetworkFlagValues): { networks: ContainerNetworkSpec[]; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const networks: ContainerNetworkSpec[] = [];
  const byName = new Map<string, ContainerNetworkSpec>();
  for (const text of f.containerNetwork) {
    const r = parseContainerNetworkRef(text);
    if (!r.ok) {
      problems.push({ code: 'container-network-invalid', flag: '--container-network', message: r.message });
      continue;
    }
    const n: ContainerNetworkSpec = { portGroup: { name: r.value.vsphereName }, alias: r.value.alias, ipRanges: [], dns: [] };
    if (byName.has(r.value.vsphereName)) {
      problems.push({ code: 'container-network-invalid', flag: '--container-network', message: `Container network "${r.value.vsphereName}" is specified more than once` });
      continue;
    }
    byName.set(r.value.vsphereName, n);
    networks.push(n);
  }
  const unknown = new Map<string, string[]>();
  const each = (flag: string, values: readonly string[], apply: (n: ContainerNetworkSpec, value: string, text: string) => void): void => {
    for (const text of values) {
      const p = parseNetworkValue(text);
      if (!p.ok) {
        problems.push({ code: 'container-network-invalid', flag, message: p.message });
        continue;
      }
      const n = byName.get(p.value.vsphereName);
      if (!n) unknown.set(flag, [...(unknown.get(flag) ?? []), text]);
      else apply(n, p.value.value, text);
    }
  };
  each('--container-network-gateway', f.containerNetworkGateway, (n, v) => {
    if (n.gateway !== undefined) problems.push({ code: 'container-network-invalid', flag: '--container-network-gateway', message: `Duplicate gateway specified for container network ${refLabel(n)}` });
    else n.gateway = v;
  });
  each('--container-network-ip-range', f.containerNetworkIpRange, (n, v) => { n.ipRanges.push(v); });
  each('--container-network-dns', f.containerNetworkDns, (n, v) => { n.dns.push(v); });
  each('--container-network-firewall', f.containerNetworkFirewall, (n, v, text) => {
    const level = parseFirewallLevel(v);
    if (!level) problems.push({ code: 'firewall-level-invalid', flag: '--container-network-firewall', message: `Unrecognized container trust level ${text}.`, suggestions: [...FIREWALL_LEVELS] });
    else if (n.firewall !== undefined && n.firewall !== level) problems.push({ code: 'container-network-invalid', flag: '--container-network-firewall', message: `Duplicate firewall specified for container network ${refLabel(n)}` });
    else n.firewall = level;
  });
  for (const [flag, texts] of unknown) {
    const given = networks.map((n) => refLabel(n));
    problems.push({
      code: 'container-network-invalid', flag,
      message: `The following container network ${WHAT[flag]} is set, but CONTAINER-NETWORK cannot be found. Please check the --container-network and ${flag} settings: ` +
        texts.map((t) => `${t}, "${t.split(':')[0]}" should be a vSphere network name`).join('; '),
      ...(given.length ? { suggestions: given } : {}),
    });
  }
  return { networks, problems };
}

function refLabel(n: ContainerNetworkSpec): string {
  return 'name' in n.portGroup ? n.portGroup.name : n.portGroup.id;
}

/** The flags that give container networks again, in the order create's help lists them per network. */
export function containerNetworkFlags(networks: readonly ContainerNetworkSpec[]): { flag: string; value: string }[] {
  const out: { flag: string; value: string }[] = [];
  for (const n of networks) {
    const vs = refLabel(n);
    // always name:alias, as 1.5's inspect config writes it
    out.push({ flag: 'container-network', value: `${vs}:${n.alias}` });
  }
  for (const n of networks) if (n.gateway) out.push({ flag: 'container-network-gateway', value: `${refLabel(n)}:${n.gateway}` });
  for (const n of networks) for (const r of n.ipRanges) out.push({ flag: 'container-network-ip-range', value: `${refLabel(n)}:${r}` });
  for (const n of networks) for (const d of n.dns) out.push({ flag: 'container-network-dns', value: `${refLabel(n)}:${d}` });
  for (const n of networks) if (n.firewall) out.push({ flag: 'container-network-firewall', value: `${refLabel(n)}:${n.firewall}` });
  return out;
}

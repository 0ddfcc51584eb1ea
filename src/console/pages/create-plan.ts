// The create wizard's plan: what POST .../vch?dry_run=true answered (the API's VCH_Create_Plan: create's dry run,
// validated against vSphere, nothing made), as a list an administrator reads before pressing Create.
import { h } from '../dom.js';

export interface CreatePlan {
  name: string;
  datacenter?: string;
  topology?: 'vcenter-drs' | 'vcenter-no-drs' | 'esxi';
  tls?: 'tlsverify' | 'tls' | 'none';
  resource_pool: { path: string; action: 'create' | 'reuse' };
  vm_folder?: string;
  vm: { name: string; cpus: number; memory_mb: number; datastore: string; folder: string };
  image_store?: string;
  datastore_folders?: { path: string; purpose: string }[];
  uploads?: { name: string; to: string; bytes: number }[];
  networks: { role: string; port_group: string; action: 'use' | 'create' }[];
  container_networks?: { alias: string; port_group: string }[];
  volume_stores?: { label: string; url: string }[];
  certificates?: { kind: string; action: string; subject?: string; alt_names?: string[] }[];
  docker_host?: string;
  warnings: string[];
}

const MiB = 1024 * 1024;

/** The networks' roles grouped by port group: "public, client, management on VM Network". */
function networkLines(p: CreatePlan): string[] {
  const by = new Map<string, { roles: string[]; create: boolean }>();
  for (const n of p.networks) {
    const e = by.get(n.port_group) ?? { roles: [], create: false };
    e.roles.push(n.role);
    e.create ||= n.action === 'create';
    by.set(n.port_group, e);
  }
  return [...by].map(([pg, e]) => `${e.create ? 'Port group (made) ' : 'Port group '}${pg}: ${e.roles.join(', ')}`);
}

export function planList(p: CreatePlan): HTMLElement {
  const items: string[] = [
    `Resource pool ${p.resource_pool.path}${p.resource_pool.action === 'reuse' ? ' (used as it is)' : ''}`,
    ...(p.vm_folder ? [`VM folder ${p.vm_folder}`] : []),
    `Appliance VM ${p.vm.name}: ${p.vm.cpus} vCPU, ${p.vm.memory_mb} MB, files in ${p.vm.folder}`,
    ...(p.datastore_folders ?? []).map((f) => `Datastore folder ${f.path}: ${f.purpose}`),
    ...(p.uploads ?? []).map((u) => `Upload ${u.name} (${(u.bytes / MiB).toFixed(1)} MiB) to ${u.to}`),
    ...(p.image_store ? [`Image store ${p.image_store}`] : []),
    ...networkLines(p),
    ...(p.container_networks ?? []).map((c) => `Container network ${c.alias} on ${c.port_group}`),
    ...(p.volume_stores ?? []).map((v) => `Volume store ${v.label}: ${v.url}`),
    ...(p.certificates ?? []).map((c) => `${c.kind === 'CA' ? 'CA' : `${c.kind[0]!.toUpperCase()}${c.kind.slice(1)}`} certificate: ${c.action === 'generate' ? 'generated' : 'as given'}${c.subject ? `, ${c.subject}` : ''}${c.alt_names?.length ? ` (${c.alt_names.join(', ')})` : ''}`),
  ];
  const dockerHost = p.docker_host ?? 'known once the appliance reports its address (DHCP)';
  return h('section', { class: 'plan', 'aria-labelledby': 'plan-h' },
    h('h2', { id: 'plan-h' }, 'The plan: what create will make'),
    h('p', { class: 'help' }, 'Checked against vSphere just now; nothing has been made yet.'),
    h('ul', { class: 'plain', 'aria-label': 'What create will make' }, ...items.map((t) => h('li', {}, t))),
    h('p', {}, 'DOCKER_HOST: ', p.docker_host ? h('code', {}, dockerHost) : dockerHost),
    p.warnings.length ? h('div', { class: 'warnings' }, h('h3', {}, 'Warnings'), h('ul', { class: 'plain', 'aria-label': 'Warnings' }, ...p.warnings.map((w) => h('li', {}, w)))) : null);
}

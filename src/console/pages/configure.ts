// Configure a VCH (PATCH .../vch/{id}, a JSON merge patch of the VCH model): the form is filled from what the VCH is
// (GET .../vch/{id}) and offers only what configure changes (src/vic/configure/spec-change.ts): the pool's CPU and
// memory, DNS servers, new container networks and volume stores (configure only adds: the existing ones are shown,
// not editable), the storage quota, proxies, syslog, container name convention and count, debug level, the DRS VM
// group, the operations user, the registry CAs (those the VCH has listed by subject, issuer and validity, read from
// their PEM in the browser, each removable; new ones pasted as PEM), client CAs and a new server certificate's name
// (the client CAs as a replacement only: the model does not carry them back). What configure cannot change (name,
// placement, appliance size, bridge and appliance networks, TLS off, insecure registries and whitelist: 1.5's
// configure has no flag for them) is shown read-only, since sending it would be a 409. Before anything is sent the admin sees each change (now → after) and confirms;
// the patch names only those fields; the task is followed to its end. Local checks and the server's problems (each
// names its JSON path) are shown at their field.
import { ApiFailure, call, targetPath, type ApiErrorBody } from '../api.js';
import { dl, errorBox, field, h, input, page, select, status, type Field } from '../dom.js';
import { certificateInfo, certificateSummary } from '../x509/certificate-info.js';
import { followTask } from './task.js';

interface ValueModel { value?: number; units?: string }
interface SharesModel { number?: number; level?: string }
interface AllocationModel { limit?: ValueModel; reservation?: ValueModel; shares?: SharesModel }
interface RefModel { id?: string; name?: string }
interface ContainerNetworkModel {
  alias?: string; firewall?: string; nameservers?: string[]; port_group?: RefModel;
  gateway?: { address?: string; routing_destinations?: string[] }; ip_ranges?: string[];
}
interface Model {
  name?: string;
  debug?: number;
  compute?: { cpu?: AllocationModel; memory?: AllocationModel; resource?: RefModel; affinity?: { use_vm_group?: boolean } };
  network?: {
    bridge?: { ip_range?: string; port_group?: RefModel };
    public?: { port_group?: RefModel; nameservers?: string[] };
    client?: { port_group?: RefModel }; management?: { port_group?: RefModel };
    container?: ContainerNetworkModel[];
  };
  storage?: { image_stores?: string[]; volume_stores?: { datastore?: string; label?: string }[]; base_image_size?: ValueModel; 'x-vic-storage_quota'?: ValueModel };
  endpoint?: { memory?: ValueModel; cpu?: { sockets?: number }; operations_credentials?: { user?: string; grant_permissions?: boolean } };
  registry?: { insecure?: string[]; whitelist?: string[]; image_fetch_proxy?: { http?: string; https?: string; no_proxy?: string[] }; certificate_authorities?: { pem?: string }[] };
  syslog_addr?: string;
  container?: { name_convention?: string; 'x-vic-max_containers'?: number };
  auth?: { no_tls?: boolean; client?: { no_tls_verify?: boolean }; server?: { generate?: { cname?: string } } };
}
interface Inventory {
  datastores: { name: string; free_bytes?: number }[];
  networks: { name: string; type: string }[];
}

// units of the model's Values, as multiples of the unit the form asks in
const MHZ: Record<string, number> = { Hz: 1e-6, KHz: 1e-3, MHz: 1, GHz: 1e3 };
const MIB: Record<string, number> = { B: 2 ** -20, KiB: 2 ** -10, MiB: 1, GiB: 2 ** 10, TiB: 2 ** 20 };
const GIB: Record<string, number> = { B: 2 ** -30, KiB: 2 ** -20, MiB: 2 ** -10, GiB: 1, TiB: 2 ** 10 };
const amount = (v: ValueModel | undefined, units: Record<string, number>): number => (v?.value !== undefined ? Math.round(v.value * (units[v.units ?? ''] ?? 1)) : 0);

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const IP = new RegExp(`^${IPV4}$`);
const ADDRESS_PREFIX = new RegExp(`^${IPV4}/(?:3[0-2]|[12]?\\d)$`);
const IP_RANGE = new RegExp(`^${IPV4}(?:/(?:3[0-2]|[12]?\\d)|-${IPV4})$`);
const PROXY = /^https?:\/\/[^/\s]+/;
const SYSLOG = /^(tcp|udp):\/\/[^\s:/]+(:\d{1,5})?$/;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;
/** nothing but certificates (and the blank lines between them) */
const PEMS = /^(\s*-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----\s*)+$/;
const certificates = (text: string): string[] => text.match(PEM_BLOCK) ?? [];
/** a host name (a wildcard first label allowed) or an IPv4 address: what a server certificate is made for */
const CNAME = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
/** the same certificate, however its lines are broken */
const samePem = (a: string, b: string): boolean => a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
/** what names a certificate to the admin: its subject's CN (else the subject) */
function caName(pem: string): string {
  try {
    return certificateInfo(pem).name;
  } catch {
    return 'an unreadable certificate';
  }
}
const FIREWALLS = ['closed', 'outbound', 'peers', 'published', 'open'];
const SHARE_LEVELS = ['low', 'normal', 'high'];

const list = (s: string): string[] => s.split(/[\s,]+/).map((x) => x.trim()).filter(Boolean);
const shown = (xs: readonly string[] | undefined, none: string): string => (xs?.length ? xs.join(', ') : none);
const refText = (r: RefModel | undefined): string => r?.name ?? (r?.id ? `id ${r.id}` : '—');

/** `10.20.0.1/16` → its network `10.20.0.0/16` (the model's gateway names the subnet it routes). */
function networkOf(addressPrefix: string): string {
  const [address, p] = addressPrefix.split('/');
  const prefix = Number(p);
  const n = address!.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  return `${[net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join('.')}/${prefix}`;
}

function gatewayText(g: ContainerNetworkModel['gateway']): string | undefined {
  if (!g?.address) return undefined;
  const prefix = g.routing_destinations?.[0]?.split('/')[1];
  return prefix ? `${g.address}/${prefix}` : g.address;
}

function containerNetworkText(c: ContainerNetworkModel): string {
  const alias = c.alias ?? refText(c.port_group);
  return [`${alias} on ${refText(c.port_group)}`, gatewayText(c.gateway) ? `gateway ${gatewayText(c.gateway)}` : '',
    c.ip_ranges?.length ? `IP ranges ${c.ip_ranges.join(', ')}` : '', c.nameservers?.length ? `DNS ${c.nameservers.join(', ')}` : '',
    c.firewall ? `firewall ${c.firewall}` : ''].filter(Boolean).join('; ');
}

function sharesText(s: SharesModel | undefined): string {
  if (!s) return 'normal';
  if (s.level && s.level !== 'custom') return s.level;
  return s.number !== undefined ? `custom: ${s.number}` : 'normal';
}

/** Sets `value` at `path` in a merge patch, making the objects on the way. */
function put(patch: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = patch;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[path[path.length - 1]!] = value;
}

/** One change the admin confirms: what it is, now and after, and how it goes into the patch. */
interface Change { what: string; from: string; to: string; apply: (patch: Record<string, unknown>) => void }

/** A new container network's controls. */
interface NewNetwork { el: HTMLElement; portGroup: Field; alias: Field; gateway: Field; ranges: Field; dns: Field; firewall: Field }
/** A new volume store's controls. */
interface NewStore { el: HTMLElement; datastore: Field; folder: Field; label: Field }

export async function configurePage(id: string): Promise<void> {
  const back = `#/vch/${encodeURIComponent(id)}`;
  page('Configure VCH', h('p', {}, 'Loading the VCH…'));
  status('Loading the VCH and the inventory…');
  let m: Model;
  let inv: Inventory;
  try {
    [m, inv] = await Promise.all([call<Model>('GET', `${targetPath()}/vch/${encodeURIComponent(id)}`), call<Inventory>('GET', `${targetPath()}/console/inventory`)]);
  } catch (e) {
    page('Configure VCH', errorBox(e instanceof ApiFailure ? e.body.message : String(e)), h('p', {}, h('a', { href: back }, 'Back to the VCH')));
    status('');
    return;
  }
  status('');
  const name = m.name ?? id;
  const opt = (v: string, l = v) => ({ value: v, label: l });
  const num = (n: number): string => (n ? String(n) : '');
  const cpu = m.compute?.cpu ?? {};
  const mem = m.compute?.memory ?? {};
  const existingNets = m.network?.container ?? [];
  const existingStores = m.storage?.volume_stores ?? [];
  const proxy = m.registry?.image_fetch_proxy ?? {};
  const ops = m.endpoint?.operations_credentials;
  const shareLevel = (s: SharesModel | undefined): string => (!s ? 'normal' : s.level && s.level !== 'custom' ? s.level : s.number !== undefined ? 'custom' : 'normal');
  const sharesSelect = (nameAttr: string) => select([...SHARE_LEVELS.map((l) => opt(l)), opt('custom', 'custom (a number of shares)')], { name: nameAttr });

  const f = {
    cpuLimit: field('CPU limit in MHz', input({ name: 'cpu-limit', inputmode: 'numeric', autocomplete: 'off', value: num(amount(cpu.limit, MHZ)) }), 'the resource pool\'s; unlimited when empty'),
    cpuReservation: field('CPU reservation in MHz', input({ name: 'cpu-reservation', inputmode: 'numeric', autocomplete: 'off', value: num(amount(cpu.reservation, MHZ)) }), 'none when empty'),
    cpuShares: field('CPU shares', sharesSelect('cpu-shares')),
    cpuSharesNumber: field('CPU shares, custom number', input({ name: 'cpu-shares-number', inputmode: 'numeric', autocomplete: 'off', value: cpu.shares?.number !== undefined && shareLevel(cpu.shares) === 'custom' ? String(cpu.shares.number) : '' }), 'only for custom shares'),
    memLimit: field('Memory limit in MiB', input({ name: 'memory-limit', inputmode: 'numeric', autocomplete: 'off', value: num(amount(mem.limit, MIB)) }), 'the resource pool\'s; unlimited when empty'),
    memReservation: field('Memory reservation in MiB', input({ name: 'memory-reservation', inputmode: 'numeric', autocomplete: 'off', value: num(amount(mem.reservation, MIB)) }), 'none when empty'),
    memShares: field('Memory shares', sharesSelect('memory-shares')),
    memSharesNumber: field('Memory shares, custom number', input({ name: 'memory-shares-number', inputmode: 'numeric', autocomplete: 'off', value: mem.shares?.number !== undefined && shareLevel(mem.shares) === 'custom' ? String(mem.shares.number) : '' }), 'only for custom shares'),
    affinity: field('DRS VM group', select([opt('false', 'no VM group'), opt('true', 'a DRS VM group of the appliance and its containers')], { name: 'affinity-vm-group' }), 'needs a vCenter cluster with DRS'),
    dns: field('DNS servers', input({ name: 'dns-server', autocomplete: 'off', spellcheck: 'false', value: (m.network?.public?.nameservers ?? []).join(', ') }), 'the appliance\'s, IPv4 addresses, comma-separated; from DHCP when empty'),
    quota: field('Storage quota in GiB', input({ name: 'storage-quota', inputmode: 'numeric', autocomplete: 'off', value: num(amount(m.storage?.['x-vic-storage_quota'], GIB)) }), 'for the image store\'s container images and VMs; none when empty'),
    httpProxy: field('HTTP proxy', input({ name: 'http-proxy', autocomplete: 'off', spellcheck: 'false', value: proxy.http ?? '' }), 'for image pulls, http://host:port; none when empty'),
    httpsProxy: field('HTTPS proxy', input({ name: 'https-proxy', autocomplete: 'off', spellcheck: 'false', value: proxy.https ?? '' }), 'for image pulls, https://host:port; none when empty'),
    registryCa: field('Add registry CA certificates, PEM', h('textarea', { name: 'registry-ca', rows: '4', spellcheck: 'false' }) as unknown as HTMLInputElement, 'to verify registries\' certificates, besides those the VCH has (listed above)'),
    serverCname: field('Server certificate name', input({ name: 'server-cname', autocomplete: 'off', spellcheck: 'false', value: m.auth?.server?.generate?.cname ?? '' }), 'a new name makes a new self-signed server certificate for it (docker clients then need it: the VCH\'s page offers it); kept when unchanged'),
    clientCa: field('Client CA certificates, PEM', h('textarea', { name: 'client-ca', rows: '4', spellcheck: 'false' }) as unknown as HTMLInputElement, 'clients must present a certificate one of these signed: replaces the CAs the VCH verifies clients against (which it does not show); kept when empty'),
    noProxy: field('No proxy for', input({ name: 'no-proxy', autocomplete: 'off', spellcheck: 'false', value: (proxy.no_proxy ?? []).join(', ') }), 'hosts and domains reached directly, comma-separated'),
    syslog: field('Syslog address', input({ name: 'syslog-address', autocomplete: 'off', spellcheck: 'false', value: m.syslog_addr ?? '' }), 'tcp://host:port or udp://host:port; no forwarding when empty'),
    nameConvention: field('Container name convention', input({ name: 'container-name-convention', autocomplete: 'off', spellcheck: 'false', value: m.container?.name_convention ?? '' }), 'with {id} or {name}, e.g. vch1-{name}; the container\'s own name when empty'),
    maxContainers: field('Maximum number of containers', input({ name: 'containers', inputmode: 'numeric', autocomplete: 'off', value: num(m.container?.['x-vic-max_containers'] ?? 0) }), 'unlimited when empty'),
    debug: field('Debug level', select([opt('0', '0 (off)'), opt('1'), opt('2'), opt('3', '3 (most verbose)'), ...((m.debug ?? 0) > 3 ? [opt(String(m.debug))] : [])], { name: 'debug' }), 'more detail in the appliance\'s logs; levels above 1 change its behaviour (1.5\'s --debug)'),
    opsUser: field('Operations user', input({ name: 'ops-user', autocomplete: 'off', spellcheck: 'false', value: ops?.user ?? '' }), ops?.user ? 'the VCH acts on vSphere as this user' : 'the VCH acts on vSphere as the user who created it; give a user to change that'),
    opsPassword: field('Operations password', input({ name: 'ops-password', type: 'password', autocomplete: 'new-password' }), 'needed for a new operations user; to change the password, type the new one'),
    opsGrant: field('Operations user\'s permissions', select([opt('false', 'leave them as they are'), opt('true', 'grant the permissions it needs')], { name: 'ops-grant-perms' })),
  } satisfies Record<string, Field>;
  f.cpuShares.input.value = shareLevel(cpu.shares);
  f.memShares.input.value = shareLevel(mem.shares);
  f.affinity.input.value = String(Boolean(m.compute?.affinity?.use_vm_group));
  f.debug.input.value = String(m.debug ?? 0);
  f.opsGrant.input.value = String(Boolean(ops?.grant_permissions));
  const customShown = (sel: Field, n: Field) => { n.wrap.hidden = sel.input.value !== 'custom'; };
  for (const [sel, n] of [[f.cpuShares, f.cpuSharesNumber], [f.memShares, f.memSharesNumber]] as const) {
    customShown(sel, n);
    sel.input.addEventListener('change', () => customShown(sel, n));
  }

  // the VCH's registry CAs, each with a box to remove it
  const existingCas = (m.registry?.certificate_authorities ?? []).flatMap((c) => (c.pem ? [c.pem] : []));
  const caRows = existingCas.map((pem, i) => {
    const remove = h('input', { type: 'checkbox', id: `registry-ca-remove-${i + 1}`, name: `registry-ca-remove-${i + 1}` });
    const el = h('li', {}, h('strong', {}, caName(pem)), h('p', { class: 'help' }, certificateSummary(pem, 'This certificate cannot be read; remove it and add it again if the VCH needs it.')),
      h('div', { class: 'choice' }, remove, h('label', { for: remove.id }, `Remove ${caName(pem)}`)));
    return { pem, remove, el };
  });

  // new container networks and volume stores: rows added on request, each removable before it is sent
  const newNets: NewNetwork[] = [];
  const newStores: NewStore[] = [];
  const netsBox = h('div', {});
  const storesBox = h('div', {});
  const addNet = h('button', { type: 'button' }, 'Add a container network');
  const addStore = h('button', { type: 'button' }, 'Add a volume store');
  let rows = 0;
  addNet.addEventListener('click', () => {
    const n = ++rows;
    const r: NewNetwork = {
      el: h('fieldset', { class: 'new-row' }),
      portGroup: field('Port group', select([opt('', 'choose a port group'), ...inv.networks.map((x) => opt(x.name, `${x.name} (${x.type})`))], { name: `container-network-${n}` }), 'the vSphere network containers attach to'),
      alias: field('Name in Docker', input({ name: `container-network-alias-${n}`, autocomplete: 'off', spellcheck: 'false' }), 'docker network ls shows this name; the port group\'s when empty'),
      gateway: field('Gateway with prefix (optional)', input({ name: `container-network-gateway-${n}`, autocomplete: 'off', spellcheck: 'false', placeholder: '10.20.0.1/16' }), 'containers get addresses by DHCP when empty'),
      ranges: field('IP ranges (optional)', input({ name: `container-network-ip-range-${n}`, autocomplete: 'off', spellcheck: 'false' }), 'CIDR or first-last, comma-separated; needs the gateway'),
      dns: field('DNS servers (optional)', input({ name: `container-network-dns-${n}`, autocomplete: 'off', spellcheck: 'false' }), 'IPv4 addresses, comma-separated'),
      firewall: field('Firewall', select([opt('', 'default (published)'), ...FIREWALLS.map((x) => opt(x))], { name: `container-network-firewall-${n}` }), 'what may reach containers on this network'),
    };
    const remove = h('button', { type: 'button' }, `Remove new container network ${n}`);
    remove.addEventListener('click', () => {
      newNets.splice(newNets.indexOf(r), 1);
      r.el.remove();
      addNet.focus();
    });
    r.el.append(h('legend', {}, `New container network ${n}`), r.portGroup.wrap, r.alias.wrap, r.gateway.wrap, r.ranges.wrap, r.dns.wrap, r.firewall.wrap, h('div', { class: 'actions' }, remove));
    newNets.push(r);
    netsBox.append(r.el);
    r.portGroup.input.focus();
  });
  addStore.addEventListener('click', () => {
    const n = ++rows;
    const r: NewStore = {
      el: h('fieldset', { class: 'new-row' }),
      datastore: field('Datastore', select([opt('', 'choose a datastore'), ...inv.datastores.map((d) => opt(d.name, `${d.name}${d.free_bytes !== undefined ? ` (${(d.free_bytes / 2 ** 30).toFixed(1)} GiB free)` : ''}`))], { name: `volume-store-datastore-${n}` })),
      folder: field('Folder on the datastore (optional)', input({ name: `volume-store-folder-${n}`, autocomplete: 'off', spellcheck: 'false' }), `${name}-<name in Docker> when empty`),
      label: field('Name in Docker', input({ name: `volume-store-label-${n}`, autocomplete: 'off', spellcheck: 'false' }), 'docker volume create --opt VolumeStore=<this name>; "default" is the store of volumes without one'),
    };
    const remove = h('button', { type: 'button' }, `Remove new volume store ${n}`);
    remove.addEventListener('click', () => {
      newStores.splice(newStores.indexOf(r), 1);
      r.el.remove();
      addStore.focus();
    });
    r.el.append(h('legend', {}, `New volume store ${n}`), r.datastore.wrap, r.folder.wrap, r.label.wrap, h('div', { class: 'actions' }, remove));
    newStores.push(r);
    storesBox.append(r.el);
    r.datastore.input.focus();
  });

  const readOnly = (rowsOf: [string, string | undefined][]) => dl(rowsOf.map(([k, v]) => [k, v ?? '—']));
  const section = (title: string, ...content: (Node | null)[]) => h('fieldset', { class: 'card' }, h('legend', {}, title), ...content.filter((c): c is Node => !!c));
  const problems = h('div', {});
  const review = h('button', { type: 'submit', class: 'primary' }, 'Review the changes');
  const cancel = h('a', { href: back, class: 'button' }, 'Cancel');
  const form = h('form', { class: 'configure', novalidate: true, 'aria-label': `Configure ${name}` },
    h('p', {}, 'Change what configure changes; the next step lists each change for you to confirm. Nothing is sent before that.'),
    h('div', { class: 'sections' }, section('Compute capacity', f.cpuLimit.wrap, f.cpuReservation.wrap, f.cpuShares.wrap, f.cpuSharesNumber.wrap,
      f.memLimit.wrap, f.memReservation.wrap, f.memShares.wrap, f.memSharesNumber.wrap, f.affinity.wrap),
    section('Networks', f.dns.wrap,
      h('h2', {}, 'Container networks'),
      existingNets.length ? h('ul', { class: 'plain', 'aria-label': 'Existing container networks' }, ...existingNets.map((c) => h('li', {}, containerNetworkText(c)))) : h('p', {}, 'None yet.'),
      h('p', { class: 'help' }, 'Existing container networks stay as they are (configure only adds).'),
      netsBox, h('div', { class: 'actions' }, addNet)),
    section('Storage',
      h('h2', {}, 'Volume stores'),
      existingStores.length ? h('ul', { class: 'plain', 'aria-label': 'Existing volume stores' }, ...existingStores.map((v) => h('li', {}, `${v.label ?? '?'}: ${v.datastore ?? '?'}`))) : h('p', {}, 'None yet.'),
      h('p', { class: 'help' }, 'Existing volume stores stay as they are (configure only adds).'),
      storesBox, h('div', { class: 'actions' }, addStore), f.quota.wrap),
    section('Registry access', f.httpProxy.wrap, f.httpsProxy.wrap, f.noProxy.wrap,
      h('h2', {}, 'Registry CA certificates'),
      caRows.length ? h('ul', { class: 'plain', 'aria-label': 'Registry CA certificates the VCH has' }, ...caRows.map((r) => r.el)) : h('p', {}, 'None: the VCH trusts registries signed by well-known CAs only.'),
      f.registryCa.wrap,
      readOnly([['Insecure registries', shown(m.registry?.insecure, 'none')], ['Registry whitelist', shown(m.registry?.whitelist, 'all registries')]]),
      h('p', { class: 'help' }, 'Insecure registries and the whitelist are set when the VCH is created (1.5\'s configure has no flag for them).')),
    m.auth?.no_tls ? null : section('Certificates', f.serverCname.wrap, f.clientCa.wrap,
      readOnly([['Client verification', m.auth?.client?.no_tls_verify ? 'off: any client may connect (CAs given here turn it on)' : 'on: clients need a certificate of the VCH\'s CAs']])),
    section('Containers', f.nameConvention.wrap, f.maxContainers.wrap),
    section('Operations', f.syslog.wrap, f.debug.wrap, f.opsUser.wrap, f.opsPassword.wrap, f.opsGrant.wrap),
    section('What configure cannot change',
      h('p', { class: 'help' }, 'Set when the VCH was created; make a new VCH to change them.'),
      readOnly([['Name', name], ['Compute resource', refText(m.compute?.resource)],
        ['Appliance', `${m.endpoint?.cpu?.sockets ?? 1} CPU, ${amount(m.endpoint?.memory, MIB)} MiB`],
        ['Image store', shown(m.storage?.image_stores, '—')], ['Bridge network', `${refText(m.network?.bridge?.port_group)} (${m.network?.bridge?.ip_range ?? ''})`],
        ['Public network', refText(m.network?.public?.port_group)],
        ['Client network', m.network?.client ? refText(m.network.client.port_group) : undefined],
        ['Management network', m.network?.management ? refText(m.network.management.port_group) : undefined],
        ['Certificates', m.auth?.no_tls ? 'no TLS' : undefined]].filter(([, v]) => v !== undefined) as [string, string][]))),
    problems,
    h('div', { class: 'actions' }, review, cancel));
  const confirmArea = h('div', {});
  const result = h('div', {});

  // ------------------------------------------------------------------------------------------------------------
  // local checks: what needs no server (numbers, addresses, URLs), each at its field

  const allFields = (): Field[] => [...Object.values(f), ...newNets.flatMap((r) => [r.portGroup, r.alias, r.gateway, r.ranges, r.dns, r.firewall]), ...newStores.flatMap((r) => [r.datastore, r.folder, r.label])];
  const v = (x: Field): string => x.input.value.trim();
  const localProblems = (): [Field, string][] => {
    const out: [Field, string][] = [];
    const whole = (x: Field, what: string) => { if (v(x) && !/^\d+$/.test(v(x))) out.push([x, `${what} must be a whole number (${v(x)} is not)`]); };
    whole(f.cpuLimit, 'The CPU limit'); whole(f.cpuReservation, 'The CPU reservation'); whole(f.memLimit, 'The memory limit'); whole(f.memReservation, 'The memory reservation');
    whole(f.quota, 'The storage quota'); whole(f.maxContainers, 'The maximum number of containers');
    for (const [sel, n, what] of [[f.cpuShares, f.cpuSharesNumber, 'CPU'], [f.memShares, f.memSharesNumber, 'memory']] as const) {
      if (sel.input.value === 'custom' && !/^\d+$/.test(v(n))) out.push([n, `Custom ${what} shares need a whole number of shares`]);
    }
    const ips = (x: Field, what: string) => { for (const a of list(v(x))) if (!IP.test(a)) out.push([x, `${a} is not an IPv4 address (${what})`]); };
    ips(f.dns, 'DNS servers');
    if (v(f.httpProxy) && !PROXY.test(v(f.httpProxy))) out.push([f.httpProxy, `${v(f.httpProxy)} is not an http(s)://host:port URL`]);
    if (v(f.httpsProxy) && !PROXY.test(v(f.httpsProxy))) out.push([f.httpsProxy, `${v(f.httpsProxy)} is not an http(s)://host:port URL`]);
    if (v(f.registryCa) && (!PEMS.test(v(f.registryCa)) || !certificates(v(f.registryCa)).length)) out.push([f.registryCa, 'Paste PEM certificates: each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----']);
    else if (certificates(v(f.registryCa)).some((c) => caName(c) === 'an unreadable certificate')) out.push([f.registryCa, 'A pasted certificate cannot be read as an X.509 certificate: paste it again from its file']);
    if (v(f.serverCname) && !CNAME.test(v(f.serverCname))) out.push([f.serverCname, `${v(f.serverCname)} is not a host name or IP address (e.g. vch1.example.com)`]);
    if (v(f.clientCa) && (!PEMS.test(v(f.clientCa)) || !certificates(v(f.clientCa)).length)) out.push([f.clientCa, 'Paste PEM certificates: each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----']);
    if (v(f.syslog) && !SYSLOG.test(v(f.syslog))) out.push([f.syslog, `${v(f.syslog)} is not a syslog address: tcp://host:port or udp://host:port`]);
    if (v(f.nameConvention) && !/\{(id|name)\}/.test(v(f.nameConvention))) out.push([f.nameConvention, 'A name convention needs {id} or {name}, e.g. vch1-{name}']);
    if (ops?.user && !v(f.opsUser)) out.push([f.opsUser, `Configure cannot go back to the creating user as the operations user: give a user (now ${ops.user})`]);
    if (v(f.opsUser) && v(f.opsUser) !== (ops?.user ?? '') && !f.opsPassword.input.value) out.push([f.opsPassword, `Enter the password of ${v(f.opsUser)}: a new operations user needs its password`]);
    // configure sets the operations credentials as a whole: granting permissions needs the password too
    else if (v(f.opsUser) && (f.opsGrant.input.value === 'true') !== Boolean(ops?.grant_permissions) && !f.opsPassword.input.value) out.push([f.opsPassword, `Enter the password of ${v(f.opsUser)}: changing its permissions sets its credentials again`]);
    if (!v(f.opsUser) && f.opsPassword.input.value) out.push([f.opsUser, 'A password needs its operations user']);
    const aliases = new Set(existingNets.map((c) => c.alias ?? c.port_group?.name ?? ''));
    for (const r of newNets) {
      if (!r.portGroup.input.value) out.push([r.portGroup, 'Choose the port group of the new container network']);
      const alias = v(r.alias) || r.portGroup.input.value;
      if (alias === 'bridge') out.push([r.alias, 'bridge is the name of the bridge network: choose another']);
      else if (alias && aliases.has(alias)) out.push([r.alias, `The VCH already has a container network named ${alias}: choose another name`]);
      aliases.add(alias);
      if (v(r.gateway) && !ADDRESS_PREFIX.test(v(r.gateway))) out.push([r.gateway, `${v(r.gateway)} is not a gateway address with its prefix length, such as 10.20.0.1/16`]);
      for (const x of list(v(r.ranges))) if (!IP_RANGE.test(x)) out.push([r.ranges, `${x} is not an IP range: a CIDR (10.20.1.0/24) or first-last (10.20.1.10-10.20.1.20)`]);
      if (v(r.ranges) && !v(r.gateway)) out.push([r.ranges, 'IP ranges need the network\'s gateway']);
      ips(r.dns, 'DNS servers');
    }
    const labels = new Set(existingStores.map((s) => s.label ?? ''));
    for (const r of newStores) {
      if (!r.datastore.input.value) out.push([r.datastore, 'Choose the datastore of the new volume store']);
      if (!v(r.label)) out.push([r.label, 'Give the volume store a name']);
      else if (labels.has(v(r.label))) out.push([r.label, `The VCH already has a volume store named ${v(r.label)}: choose another name`]);
      labels.add(v(r.label));
      if (/(^|\/)\.\.(\/|$)/.test(v(r.folder))) out.push([r.folder, 'The folder must stay in the datastore (no ..)']);
    }
    return out;
  };

  // ------------------------------------------------------------------------------------------------------------
  // the changes: each field against what the VCH has

  const changes = (): Change[] => {
    const out: Change[] = [];
    const allocation = (key: 'cpu' | 'memory', a: AllocationModel, units: Record<string, number>, unit: 'MHz' | 'MiB', limit: Field, reservation: Field, shares: Field, sharesNumber: Field) => {
      const what = key === 'cpu' ? 'CPU' : 'Memory';
      const was = amount(a.limit, units);
      const now = Number(v(limit) || 0);
      if (was !== now) out.push({ what: `${what} limit`, from: was ? `${was} ${unit}` : 'unlimited', to: now ? `${now} ${unit}` : 'unlimited', apply: (p) => put(p, ['compute', key, 'limit'], now ? { value: now, units: unit } : null) });
      const wasR = amount(a.reservation, units);
      const nowR = Number(v(reservation) || 0);
      if (wasR !== nowR) out.push({ what: `${what} reservation`, from: `${wasR} ${unit}`, to: `${nowR} ${unit}`, apply: (p) => put(p, ['compute', key, 'reservation'], nowR ? { value: nowR, units: unit } : null) });
      const level = shares.input.value;
      const wanted: SharesModel = level === 'custom' ? { number: Number(v(sharesNumber)) } : { level };
      if (sharesText(a.shares) !== sharesText(wanted)) {
        // both members named: a merge patch keeps a member it does not name, and a level beside a number would win
        out.push({ what: `${what} shares`, from: sharesText(a.shares), to: sharesText(wanted), apply: (p) => put(p, ['compute', key, 'shares'], level === 'custom' ? { number: wanted.number, level: null } : { level, number: null }) });
      }
    };
    allocation('cpu', cpu, MHZ, 'MHz', f.cpuLimit, f.cpuReservation, f.cpuShares, f.cpuSharesNumber);
    allocation('memory', mem, MIB, 'MiB', f.memLimit, f.memReservation, f.memShares, f.memSharesNumber);
    const affinity = f.affinity.input.value === 'true';
    if (affinity !== Boolean(m.compute?.affinity?.use_vm_group)) out.push({ what: 'DRS VM group', from: affinity ? 'none' : 'yes', to: affinity ? 'yes' : 'none', apply: (p) => put(p, ['compute', 'affinity', 'use_vm_group'], affinity) });
    const dns = list(v(f.dns));
    const wasDns = m.network?.public?.nameservers ?? [];
    if (dns.join() !== wasDns.join()) out.push({ what: 'DNS servers', from: shown(wasDns, 'from DHCP'), to: shown(dns, 'from DHCP'), apply: (p) => put(p, ['network', 'public', 'nameservers'], dns.length ? dns : null) });
    if (newNets.length) {
      const added: ContainerNetworkModel[] = newNets.map((r) => ({
        port_group: { name: r.portGroup.input.value }, alias: v(r.alias) || r.portGroup.input.value,
        ...(v(r.gateway) ? { gateway: { address: v(r.gateway).split('/')[0]!, routing_destinations: [networkOf(v(r.gateway))] } } : {}),
        ...(list(v(r.ranges)).length ? { ip_ranges: list(v(r.ranges)) } : {}),
        ...(list(v(r.dns)).length ? { nameservers: list(v(r.dns)) } : {}),
        ...(r.firewall.input.value ? { firewall: r.firewall.input.value } : {}),
      }));
      // the merge patch replaces the whole array: the existing networks go with it as the VCH has them
      const all = [...existingNets, ...added];
      added.forEach((c, i) => out.push({ what: `Container network ${c.alias}`, from: 'none', to: containerNetworkText(c), apply: i === 0 ? (p) => put(p, ['network', 'container'], all) : () => undefined }));
    }
    if (newStores.length) {
      const added = newStores.map((r) => ({ datastore: `ds://${r.datastore.input.value}/${v(r.folder).replace(/^\/+/, '') || `${name}-${v(r.label)}`}`, label: v(r.label) }));
      const all = [...existingStores, ...added];
      added.forEach((s, i) => out.push({ what: `Volume store ${s.label}`, from: 'none', to: s.datastore, apply: i === 0 ? (p) => put(p, ['storage', 'volume_stores'], all) : () => undefined }));
    }
    const quota = Number(v(f.quota) || 0);
    const wasQuota = amount(m.storage?.['x-vic-storage_quota'], GIB);
    if (quota !== wasQuota) out.push({ what: 'Storage quota', from: wasQuota ? `${wasQuota} GiB` : 'none', to: quota ? `${quota} GiB` : 'none', apply: (p) => put(p, ['storage', 'x-vic-storage_quota'], quota ? { value: quota, units: 'GiB' } : null) });
    const text = (what: string, now: string, was: string | undefined, path: string[], none: string) => {
      if (now !== (was ?? '')) out.push({ what, from: was || none, to: now || none, apply: (p) => put(p, path, now || null) });
    };
    text('HTTP proxy', v(f.httpProxy), proxy.http, ['registry', 'image_fetch_proxy', 'http'], 'none');
    text('HTTPS proxy', v(f.httpsProxy), proxy.https, ['registry', 'image_fetch_proxy', 'https'], 'none');
    const noProxy = list(v(f.noProxy));
    if (noProxy.join() !== (proxy.no_proxy ?? []).join()) out.push({ what: 'No proxy for', from: shown(proxy.no_proxy, 'none'), to: shown(noProxy, 'none'), apply: (p) => put(p, ['registry', 'image_fetch_proxy', 'no_proxy'], noProxy.length ? noProxy : null) });
    const removedCas = caRows.filter((r) => r.remove.checked).map((r) => r.pem);
    const addedCas = certificates(v(f.registryCa)).filter((c, i, all) => !existingCas.some((e) => samePem(e, c)) && all.findIndex((x) => samePem(x, c)) === i);
    if (removedCas.length || addedCas.length) {
      // the merge patch replaces the whole list: the ones kept go with it as the VCH has them; [] removes them all
      const after = [...existingCas.filter((c) => !removedCas.includes(c)), ...addedCas];
      const names = (xs: string[]) => xs.map(caName).join(', ');
      out.push({
        what: 'Registry CA certificates', from: existingCas.length ? names(existingCas) : 'none',
        to: [removedCas.length ? `removed: ${names(removedCas)}` : '', addedCas.length ? `added: ${names(addedCas)}` : '', after.length ? '' : 'none left'].filter(Boolean).join('; '),
        apply: (p) => put(p, ['registry', 'certificate_authorities'], after.map((pem) => ({ pem }))),
      });
    }
    // certificates (docs/server.md "Configure and certificates"): a new name makes a new server certificate; CAs given
    // replace the client CAs and, on a VCH that verifies no client, turn verification on
    const cname = v(f.serverCname);
    const wasCname = m.auth?.server?.generate?.cname;
    if (cname && cname !== wasCname) out.push({ what: 'Server certificate', from: wasCname ? `for ${wasCname}` : 'as the VCH has it', to: `new, self-signed, for ${cname}`, apply: (p) => put(p, ['auth', 'server', 'generate', 'cname'], cname) });
    const clientCas = certificates(v(f.clientCa));
    const verifying = !m.auth?.client?.no_tls_verify;
    if (clientCas.length) {
      out.push({ what: 'Client CA certificates', from: verifying ? 'as the VCH has them (not shown)' : 'none: clients not verified', to: `${verifying ? 'replaced by' : 'clients verified against'} ${clientCas.length} certificate${clientCas.length === 1 ? '' : 's'}`,
        apply: (p) => { put(p, ['auth', 'client', 'certificate_authorities'], clientCas.map((pem) => ({ pem }))); if (!verifying) put(p, ['auth', 'client', 'no_tls_verify'], null); } });
    }
    text('Syslog address', v(f.syslog), m.syslog_addr, ['syslog_addr'], 'none');
    text('Container name convention', v(f.nameConvention), m.container?.name_convention, ['container', 'name_convention'], 'the container\'s name');
    const max = Number(v(f.maxContainers) || 0);
    const wasMax = m.container?.['x-vic-max_containers'] ?? 0;
    if (max !== wasMax) out.push({ what: 'Maximum number of containers', from: wasMax ? String(wasMax) : 'unlimited', to: max ? String(max) : 'unlimited', apply: (p) => put(p, ['container', 'x-vic-max_containers'], max || null) });
    const debug = Number(f.debug.input.value);
    if (debug !== (m.debug ?? 0)) out.push({ what: 'Debug level', from: String(m.debug ?? 0), to: String(debug), apply: (p) => put(p, ['debug'], debug) });
    const user = v(f.opsUser);
    const password = f.opsPassword.input.value;
    const grant = f.opsGrant.input.value === 'true';
    if (user && (user !== (ops?.user ?? '') || password || grant !== Boolean(ops?.grant_permissions))) {
      // the password is never shown: only that it changes
      if (user !== (ops?.user ?? '')) out.push({ what: 'Operations user', from: ops?.user ?? 'the creating user', to: user, apply: () => undefined });
      if (password) out.push({ what: 'Operations password', from: ops?.user ? 'kept' : '—', to: 'changed (not shown)', apply: () => undefined });
      if (grant !== Boolean(ops?.grant_permissions)) out.push({ what: 'Operations user\'s permissions', from: ops?.grant_permissions ? 'granted' : 'as they are', to: grant ? 'granted' : 'as they are', apply: () => undefined });
      out[out.length - 1]!.apply = (p) => put(p, ['endpoint', 'operations_credentials'], { user, ...(password ? { password } : {}), grant_permissions: grant });
    }
    return out;
  };

  // ------------------------------------------------------------------------------------------------------------
  // the server's problems: each names a JSON path of the model ($.network.container[2].gateway.address)

  const fieldOf = (path: string | undefined): Field | undefined => {
    if (!path) return undefined;
    const p = path.replace(/^\$\.?/, '');
    const row = /^network\.container(?:\[(\d+)\](?:\.(\w+))?)?/.exec(p);
    if (row) {
      const r = row[1] !== undefined ? newNets[Number(row[1]) - existingNets.length] : newNets[0];
      if (!r) return undefined;
      return ({ port_group: r.portGroup, alias: r.alias, gateway: r.gateway, ip_ranges: r.ranges, nameservers: r.dns, firewall: r.firewall } as Record<string, Field>)[row[2] ?? 'port_group'] ?? r.portGroup;
    }
    const store = /^storage\.volume_stores(?:\[(\d+)\](?:\.(\w+))?)?/.exec(p);
    if (store) {
      const r = store[1] !== undefined ? newStores[Number(store[1]) - existingStores.length] : newStores[0];
      if (!r) return undefined;
      return store[2] === 'label' ? r.label : r.datastore;
    }
    const byPath: [string, Field][] = [
      ['compute.cpu.limit', f.cpuLimit], ['compute.cpu.reservation', f.cpuReservation], ['compute.cpu.shares', f.cpuShares], ['compute.cpu', f.cpuLimit],
      ['compute.memory.limit', f.memLimit], ['compute.memory.reservation', f.memReservation], ['compute.memory.shares', f.memShares], ['compute.memory', f.memLimit],
      ['compute.affinity', f.affinity], ['network.public.nameservers', f.dns], ['storage.x-vic-storage_quota', f.quota],
      ['registry.image_fetch_proxy.http', f.httpProxy], ['registry.image_fetch_proxy.https', f.httpsProxy], ['registry.image_fetch_proxy.no_proxy', f.noProxy], ['registry.certificate_authorities', f.registryCa],
      ['auth.server', f.serverCname], ['auth.client', f.clientCa],
      ['syslog_addr', f.syslog], ['container.name_convention', f.nameConvention], ['container.x-vic-max_containers', f.maxContainers], ['debug', f.debug],
      ['endpoint.operations_credentials.password', f.opsPassword], ['endpoint.operations_credentials.grant_permissions', f.opsGrant], ['endpoint.operations_credentials', f.opsUser],
    ];
    let best: [string, Field] | undefined;
    for (const e of byPath) if ((p === e[0] || p.startsWith(`${e[0]}.`) || p.startsWith(`${e[0]}[`)) && (!best || e[0].length > best[0].length)) best = e;
    return best?.[1];
  };

  const showProblems = (e: ApiErrorBody, status409: boolean): void => {
    const all = e.problems?.length ? e.problems : [{ message: e.message, ...(e.field ? { field: e.field } : {}) }];
    let first: Field | undefined;
    for (const p of all) {
      const x = fieldOf(p.field);
      if (!x) continue;
      x.setError([x.error.hidden ? '' : x.error.textContent, p.message].filter(Boolean).join(' '));
      first ??= x;
    }
    const lines = all.map((p) => h('li', {}, p.field ? h('code', {}, p.field) : null, p.field ? ': ' : null, p.message));
    problems.replaceChildren(h('div', { class: 'alert', role: 'alert' },
      h('p', {}, status409 ? `Configure cannot make ${all.length === 1 ? 'this change' : 'these changes'}: nothing was changed` : `The VCH was not configured: ${all.length} problem${all.length === 1 ? '' : 's'}${first ? ', shown at their fields' : ''}`),
      h('ul', { class: 'plain' }, ...lines), e.hint ? h('p', { class: 'help' }, e.hint) : null));
    form.hidden = false;
    confirmArea.replaceChildren();
    (first?.input ?? review).focus();
  };

  // ------------------------------------------------------------------------------------------------------------
  // review, confirm, send, follow

  const send = async (list: Change[], go: HTMLButtonElement): Promise<void> => {
    const patch: Record<string, unknown> = {};
    for (const c of list) c.apply(patch);
    go.disabled = true;
    status(`Configuring ${name}…`);
    let task: string;
    try {
      task = (await call<{ task: string }>('PATCH', `${targetPath()}/vch/${encodeURIComponent(id)}`, { body: patch, async: true })).task;
    } catch (e) {
      status('');
      showProblems(e instanceof ApiFailure ? e.body : { message: String(e) }, e instanceof ApiFailure && e.status === 409);
      return;
    }
    f.opsPassword.input.value = '';
    confirmArea.replaceChildren();
    const t = await followTask(task, result, `Configure ${name}`);
    const done = h('a', { href: back, class: 'button primary' }, 'Show the VCH');
    if (t.state === 'success') {
      const r = (t.result ?? {}) as { changes?: string[] };
      if (r.changes?.length) result.append(h('section', { class: 'card', 'aria-labelledby': 'conf-changed-h' }, h('h2', { id: 'conf-changed-h' }, 'What changed'), h('ul', { class: 'plain' }, ...r.changes.map((c) => h('li', {}, c)))));
      result.append(h('div', { class: 'actions' }, done));
      done.focus();
      return;
    }
    // configure reverted to its snapshot: the form as it was sent, to correct and send again
    const again = h('button', { type: 'button' }, 'Back to the form');
    again.addEventListener('click', () => {
      result.replaceChildren();
      if (t.error) showProblems(t.error, false);
      else { form.hidden = false; review.focus(); }
    });
    result.append(h('div', { class: 'actions' }, again, done));
    again.focus();
  };

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    for (const x of allFields()) x.setError(undefined);
    problems.replaceChildren();
    const local = localProblems();
    if (local.length) {
      for (const [x, msg] of local) x.setError([x.error.hidden ? '' : x.error.textContent, msg].filter(Boolean).join(' '));
      problems.replaceChildren(errorBox(`${local.length} value${local.length === 1 ? ' needs' : 's need'} correcting, shown at ${local.length === 1 ? 'its field' : 'their fields'}; nothing was sent`));
      local[0]![0].input.focus();
      status('Correct the values shown');
      return;
    }
    const list = changes();
    if (!list.length) {
      problems.replaceChildren(h('p', { class: 'alert', role: 'alert' }, 'Nothing to change: every value is what the VCH has.'));
      review.focus();
      return;
    }
    const go = h('button', { type: 'button', class: 'primary' }, `Configure ${name}`);
    const no = h('button', { type: 'button' }, 'Cancel');
    const heading = h('h2', { id: 'conf-confirm-h', tabindex: '-1' }, `Confirm ${list.length} change${list.length === 1 ? '' : 's'} to ${name}`);
    confirmArea.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'conf-confirm-h' }, heading,
      h('p', {}, 'Configure locks the VCH, takes a snapshot, applies these changes and restarts what needs it; any failure reverts to the snapshot.'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'vchs changes' },
        h('caption', { class: 'visually-hidden' }, 'The changes'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Setting'), h('th', { scope: 'col' }, 'Now'), h('th', { scope: 'col' }, 'After'))),
        h('tbody', {}, ...list.map((c) => h('tr', {}, h('th', { scope: 'row', 'data-label': 'Setting' }, c.what), h('td', { 'data-label': 'Now' }, c.from), h('td', { 'data-label': 'After' }, c.to)))))),
      h('div', { class: 'actions' }, go, no)));
    form.hidden = true;
    no.addEventListener('click', () => {
      confirmArea.replaceChildren();
      form.hidden = false;
      review.focus();
      status('Not sent');
    });
    go.addEventListener('click', () => void send(list, go));
    heading.focus();
    status(`${list.length} change${list.length === 1 ? '' : 's'} to confirm`);
  });

  page(`Configure ${name}`, h('p', {}, h('a', { href: back }, 'Back to the VCH')), form, confirmArea, result);
  status(`Configure ${name}`);
}

// One VCH (GET .../vch/{id}, the VCH model `inspect` shows): versions, upgrade status, endpoints, networks, storage,
// limits; the Docker environment to copy; the server certificate to download; the logs vic-machine left next to it.
// Configure, upgrade and delete start from here.
import { ApiFailure, call, targetPath } from '../api.js';
import { dl, errorBox, h, page, status } from '../dom.js';
import { certificateSummary } from '../x509/certificate-info.js';
import { deleteDialog } from './delete.js';
import { upgradeDialog } from './upgrade.js';

type Model = Record<string, unknown> & {
  version?: string;
  name?: string;
  runtime?: { power_state?: string; upgrade_status?: string; admin_portal?: string; docker_host?: string };
  auth?: { client?: { certificate_authorities?: unknown[]; no_tls_verify?: boolean }; server?: unknown };
};

const SECTIONS: [string, string][] = [
  ['compute', 'Compute'], ['storage', 'Storage'], ['network', 'Networks'], ['endpoint', 'Endpoint'], ['registry', 'Registry access'],
  ['auth', 'Security'], ['container', 'Containers'], ['syslog_config', 'Syslog'],
];

const label = (k: string): string => k.replace(/^x-vic-/, '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** Any value of the model as nested definition lists / lists: what the API says, nothing dropped. */
function render(v: unknown): Node | string {
  if (v === null || v === undefined) return '—';
  if (Array.isArray(v)) {
    if (!v.length) return 'none';
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ');
    return h('ul', { class: 'plain' }, ...v.map((x) => h('li', {}, render(x))));
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (!Object.keys(o).length) return 'none';
    if ('value' in o && 'units' in o && Object.keys(o).length === 2) return `${String(o['value'])} ${String(o['units'])}`;
    // a certificate (X509_Data): named by subject, issuer and validity; its PEM a click away, not pages of base64
    if (typeof o['pem'] === 'string' && Object.keys(o).length === 1) {
      return h('details', { class: 'certificate' }, h('summary', {}, certificateSummary(o['pem'])), h('pre', { class: 'pem', tabindex: '0', 'aria-label': 'PEM' }, o['pem']));
    }
    return dl(Object.entries(o).map(([k, x]) => [label(k), render(x)]));
  }
  return String(v);
}

export function dockerEnv(m: Model): string {
  const host = m.runtime?.docker_host;
  if (!host) return '';
  const verify = Boolean(m.auth?.client && !m.auth.client.no_tls_verify && (m.auth.client.certificate_authorities?.length ?? 0) > 0);
  const tls = host.endsWith(':2376');
  if (tls && verify) return [`DOCKER_HOST=${host}`, 'DOCKER_TLS_VERIFY=1', `DOCKER_CERT_PATH=<the folder of ${m.name ?? 'the VCH'}'s client certificates>`].join('\n');
  // TLS without client verification: the docker client needs --tls (as inspect says it)
  return [`DOCKER_HOST=${host}`, ...(tls ? [`# docker -H ${host} --tls info`] : [])].join('\n');
}

export async function detailsPage(id: string): Promise<void> {
  page('VCH', h('p', {}, 'Loading…'));
  status('Loading the VCH…');
  let m: Model;
  const base = `${targetPath()}/vch/${encodeURIComponent(id)}`;
  try {
    m = await call<Model>('GET', base);
  } catch (e) {
    page('VCH', errorBox(e instanceof ApiFailure ? e.body.message : String(e)), h('p', {}, h('a', { href: '#/' }, 'Back to the list')));
    status('');
    return;
  }
  const name = m.name ?? id;
  const env = dockerEnv(m);
  const copy = h('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(env);
      status('The Docker environment is copied');
    } catch {
      status('Copying is not allowed here: select the text instead');
    }
  });
  const certLink = h('button', { type: 'button' }, 'Download the server certificate');
  certLink.addEventListener('click', async () => {
    try {
      const pem = await call<string>('GET', `${base}/certificate`, { text: true });
      const a = h('a', { href: URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' })), download: `${name}-server-cert.pem` });
      document.body.append(a);
      a.click();
      a.remove();
      status('The server certificate is downloaded');
    } catch (e) {
      status(`No certificate: ${(e as Error).message}`);
    }
  });
  const logs = h('pre', { class: 'log', tabindex: '0', 'aria-label': 'Logs' }, 'Not loaded.');
  const loadLogs = h('button', { type: 'button' }, 'Show the logs');
  loadLogs.addEventListener('click', async () => {
    logs.textContent = 'Loading…';
    try {
      logs.textContent = (await call<string>('GET', `${base}/log`, { text: true })) || 'No log.';
    } catch (e) {
      logs.textContent = (e as Error).message;
    }
  });
  const configure = h('a', { href: `#/vch/${encodeURIComponent(id)}/configure`, class: 'button' }, 'Configure…');
  const upgrade = h('button', { type: 'button' }, 'Upgrade…');
  const del = h('button', { type: 'button', class: 'danger' }, 'Delete…');
  const actionArea = h('div', {});
  upgrade.addEventListener('click', () => upgradeDialog(id, name, actionArea, () => void detailsPage(id)));
  del.addEventListener('click', () => deleteDialog(id, name, actionArea));
  const rt = m.runtime ?? {};
  page(`VCH ${name}`,
    h('p', {}, h('a', { href: '#/' }, 'Back to the list')),
    h('div', { class: 'actions' }, configure, upgrade, del),
    actionArea,
    h('section', { class: 'card', 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, 'Summary'),
      dl([['ID', id], ['Version', m.version], ['Power state', rt.power_state], ['Upgrade status', rt.upgrade_status],
        ['DOCKER_HOST', rt.docker_host ? h('code', {}, rt.docker_host) : undefined],
        ['Admin portal', rt.admin_portal ? h('a', { href: rt.admin_portal, target: '_blank', rel: 'noopener noreferrer' }, rt.admin_portal) : undefined]])),
    env ? h('section', { class: 'card', 'aria-labelledby': 'env-h' }, h('h2', { id: 'env-h' }, 'Docker environment'),
      h('pre', { class: 'env', tabindex: '0', 'aria-label': 'Docker environment' }, env), h('div', { class: 'actions' }, copy, certLink)) : null,
    ...SECTIONS.filter(([k]) => m[k] !== undefined).map(([k, title]) => h('section', { class: 'card', 'aria-labelledby': `${k}-h` }, h('h2', { id: `${k}-h` }, title), render(m[k]))),
    h('section', { class: 'card', 'aria-labelledby': 'log-h' }, h('h2', { id: 'log-h' }, 'Logs'), h('div', { class: 'actions' }, loadLogs), logs),
  );
  status(`VCH ${name}`);
}

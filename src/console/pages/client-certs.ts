// The create wizard's client verification: the choice on its Security step (client certificates made in this
// browser, the admin's own CA, or none), and, once the VCH is made, the files docker needs, offered as downloads.
// Browser-made certificates keep the server's promise that it never holds a private key it did not get: the CA and
// the client key pair are made here (src/console/x509/), only the CA certificate goes into the create body, and the
// keys exist in this page's memory only, until the admin downloads them (Blob object URLs: no request is made).
import { call, targetPath } from '../api.js';
import { h, uid, type Field } from '../dom.js';
import { makeClientCertificates, type ClientCertificates } from '../x509/client-certificates.js';

export type ClientVerification = 'browser' | 'ca' | 'none';

export interface ClientVerificationChoice {
  field: Field;
  value(): ClientVerification;
  onChange(f: (v: ClientVerification) => void): void;
}

const CHOICES: [ClientVerification, string, string][] = [
  ['browser', 'Make client certificates in this browser', 'a CA and a client certificate are made here; only the CA certificate goes to the server, the keys are yours to download once the VCH is made'],
  ['ca', 'Use my CA (PEM)', 'clients need a certificate signed by your CA'],
  ['none', 'No client verification (--no-tlsverify)', 'any client that reaches the VCH can use it'],
];

/** The radio group, as a Field (its error line, the first radio for focus), so that problems can be shown at it. */
export function clientVerificationChoice(): ClientVerificationChoice {
  const id = uid('client-verification');
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const radios = CHOICES.map(([value, label, help], i) => {
    const input = h('input', { type: 'radio', name: 'client-verification', id: `${id}-${value}`, value, checked: i === 0, 'aria-describedby': `${id}-${value}-help ${id}-error` });
    return { input, wrap: h('div', { class: 'choice' }, input, h('label', { for: `${id}-${value}` }, label), h('p', { class: 'help', id: `${id}-${value}-help` }, help)) };
  });
  const wrap = h('fieldset', { class: 'field' }, h('legend', {}, 'Docker client verification'), ...radios.map((r) => r.wrap), error);
  const value = (): ClientVerification => (radios.find((r) => r.input.checked)?.input.value ?? 'browser') as ClientVerification;
  return {
    field: {
      wrap, input: radios[0]!.input, error,
      setError(m) {
        error.textContent = m ?? '';
        error.hidden = !m;
      },
    },
    value,
    onChange(f) {
      for (const r of radios) r.input.addEventListener('change', () => f(value()));
    },
  };
}

/**
 * The certificates of one create, made once for a name and cname (a CN of the CA and the client names the VCH; a
 * later change of either makes a new set, so that what is downloaded matches the VCH made).
 */
export function browserCertificates(): { get(name: string, cname: string | undefined): Promise<ClientCertificates>; current(): ClientCertificates | undefined } {
  let made: { key: string; set: Promise<ClientCertificates>; done?: ClientCertificates } | undefined;
  return {
    get(name, cname) {
      const key = `${name}\n${cname ?? ''}`;
      if (made?.key !== key) {
        const m: NonNullable<typeof made> = { key, set: makeClientCertificates(name, cname ? { cname } : {}) };
        m.set.then((s) => { m.done = s; }, () => { if (made === m) made = undefined; });
        made = m;
      }
      return made.set;
    },
    current: () => made?.done,
  };
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  // the key is in the URL's blob until it is revoked: not for longer than the download needs
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The result's files for docker: ca.pem (the VCH's server certificate, what docker trusts the VCH by: with a client CA
 * given, or none, create makes the server certificate self-signed, and the CLI saves it as ca.pem) in every mode; with
 * browser-made certificates also cert.pem and key.pem (the client pair) and the client CA with its key (to issue more
 * client certificates), and the warning that the keys are in this page only. Each a download; then the environment
 * and the command that use them.
 */
export async function dockerFilesSection(o: { id: string; name: string; mode: ClientVerification; dockerHost?: string | undefined; cname?: string | undefined; set?: ClientCertificates | undefined }): Promise<HTMLElement> {
  let serverCert = '';
  let problem = '';
  try {
    serverCert = await call<string>('GET', `${targetPath()}/vch/${encodeURIComponent(o.id)}/certificate`, { text: true });
  } catch (e) {
    problem = `The VCH's server certificate could not be read (${(e as Error).message}): download it later from the VCH's page, as ca.pem.`;
  }
  const set = o.set;
  const files: [string, string, string][] = [
    ...(serverCert ? [['ca.pem', serverCert, 'the VCH\'s server certificate: docker trusts the VCH by it (--tlscacert)'] as [string, string, string]] : []),
    ...(set ? [
      ['cert.pem', set.clientCertPem, 'your client certificate (--tlscert)'],
      ['key.pem', set.clientKeyPem, 'its private key (--tlskey): keep it to yourself, chmod 600'],
      ['client-ca.pem', set.caCertPem, 'the CA the VCH verifies clients against (the server has this one)'],
      ['client-ca-key.pem', set.caKeyPem, 'the CA\'s private key: with it you can issue more client certificates for this VCH; keep it offline'],
    ] as [string, string, string][] : []),
  ];
  const host = o.dockerHost ?? '<DOCKER_HOST>';
  const dir = `~/.docker/${o.name}`;
  const verify = o.mode !== 'none';
  const folder = o.mode === 'browser' ? 'ca.pem, cert.pem and key.pem' : o.mode === 'ca' ? 'ca.pem, and cert.pem and key.pem signed by your CA' : 'ca.pem';
  const env = [`DOCKER_HOST=${host}`, verify ? 'DOCKER_TLS_VERIFY=1' : 'DOCKER_TLS=1', `DOCKER_CERT_PATH=${dir}   # the folder with ${folder}`].join('\n');
  const command = verify
    ? `${o.mode === 'browser' ? `chmod 600 ${dir}/key.pem\n` : ''}docker --tlsverify --tlscacert ${dir}/ca.pem --tlscert ${dir}/cert.pem --tlskey ${dir}/key.pem -H ${host} info`
    : `docker --tls --tlscacert ${dir}/ca.pem -H ${host} info`;
  const headingId = uid('client-certs');
  // Reloading or closing the page loses keys not yet saved: the browser asks first, until both keys are downloaded
  // or the console moves to another page (then they are gone already).
  const unsaved = new Set(set ? ['key.pem', 'client-ca-key.pem'] : []);
  const guard = (e: Event) => { if (unsaved.size) e.preventDefault(); };
  if (set) {
    window.addEventListener('beforeunload', guard);
    window.addEventListener('hashchange', () => window.removeEventListener('beforeunload', guard), { once: true });
  }
  return h('section', { class: 'card', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, set ? 'Client certificates' : 'Files for docker'),
    set ? h('div', { class: 'alert', role: 'note' },
      h('p', {}, h('strong', {}, 'The private keys exist only in this page. '), 'They were made in this browser and never sent to the server: download them now. Leaving or reloading this page loses them: more client certificates would then need a new client CA (vic-machine configure --tls-ca).')) : null,
    problem ? h('p', { class: 'field-error' }, problem) : null,
    h('ul', { class: 'downloads' }, ...files.map(([file, text, what]) => {
      const b = h('button', { type: 'button' }, `Download ${file}`);
      b.addEventListener('click', () => { download(file, text); unsaved.delete(file); });
      return h('li', {}, b, h('span', { class: 'help' }, ` ${what}`));
    })),
    h('p', {}, `Put ${folder} in one folder (${dir} here), then:`),
    h('pre', { class: 'env', tabindex: '0', 'aria-label': 'Docker environment with the certificates' }, env),
    h('pre', { class: 'env', tabindex: '0', 'aria-label': 'Docker command with the certificates' }, command),
    verify && !o.cname ? h('p', { class: 'help' }, 'No server certificate name was given, so the VCH\'s certificate names no address and docker cannot verify the VCH (--tlsverify): use --tls with --tlscert and --tlskey instead (the VCH still verifies your certificate), or give the name when creating.') : null);
}

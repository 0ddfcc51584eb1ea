import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CertificateError,
  CertificateInputError,
  CNAME_HINTS,
  caSubject,
  clientSubject,
  createCaCertificate,
  createClientCertificate,
  createServerCertificate,
  generateRsaKeyPairs,
  planCertificates,
  processCertificates,
  readCertificateInputs,
  serverAltNames,
  serverSubject,
  type CertificateOptions,
  type CertificateResult,
  type IssuedCertificate,
  type LogEntry,
  type RsaKeyPair,
} from '../../../src/vic/certificates/index.js';

let root: string;
let n = 0;
/** A fresh working directory per test. */
async function cwd(): Promise<string> {
  const d = join(root, `t${++n}`);
  await mkdir(d, { recursive: true });
  return d;
}

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;
const lines = (log: readonly LogEntry[]): string[] => log.map((e) => `${e.level}: ${e.message}`);

async function run(options: CertificateOptions): Promise<CertificateResult> {
  return processCertificates(options);
}

async function problemsOf(options: CertificateOptions): Promise<CertificateError[]> {
  const err = await processCertificates(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CertificateInputError);
  return [...(err as CertificateInputError).problems];
}

// A foreign CA, server pair and an unrelated key, written to files for the --tls-* flag tests.
let foreign: { dir: string; caCert: string; caKey: string; serverCert: string; serverKey: string; otherKey: string; expiredCert: string; expiredKey: string; clientOnlyCert: string };
let keys: RsaKeyPair[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'certs-test-'));
  keys = await generateRsaKeyPairs(4, 2048);
  const ca = await createCaCertificate(keys[0]!, caSubject('Foreign', ['Foreign']));
  const issuer = { certPem: ca.certPem, privateKey: keys[0]!.privateKey };
  const srv = await createServerCertificate(keys[1]!, serverSubject('x', ['Foreign'], 'vch.example.com'), serverAltNames('vch.example.com'), issuer);
  const expired = await createServerCertificate(keys[3]!, serverSubject('x', ['Foreign'], 'vch.example.com'), serverAltNames('vch.example.com'), issuer, {
    now: new Date('2020-01-01T00:00:00Z'),
  });
  const clientOnly: IssuedCertificate = await createClientCertificate(keys[3]!, clientSubject('x', ['Foreign']), issuer);
  const dir = join(root, 'foreign');
  await mkdir(dir);
  const w = async (name: string, content: string): Promise<string> => {
    const p = join(dir, name);
    await writeFile(p, content);
    return p;
  };
  foreign = {
    dir,
    caCert: await w('ca.crt', ca.certPem),
    caKey: await w('ca.key', ca.keyPem),
    serverCert: await w('server.crt', srv.certPem),
    serverKey: await w('server.key', srv.keyPem),
    otherKey: await w('other.key', keys[2]!.privateKeyPem),
    expiredCert: await w('expired.crt', expired.certPem),
    expiredKey: await w('expired.key', expired.keyPem),
    clientOnlyCert: await w('client-only.crt', clientOnly.certPem),
  };
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('default mode (tlsverify)', () => {
  test('generates CA, server, client and cert.pfx with the original log lines and file modes', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    expect(r.mode).toBe('tlsverify');
    expect(r.generated).toEqual(['ca', 'server', 'client', 'pfx']);
    expect(lines(r.log)).toEqual([
      'debug: Unable to locate existing server certificate in cert path',
      'info: Generating CA certificate/key pair - private key in vch4/ca-key.pem',
      'info: Generating server certificate/key pair - private key in vch4/server-key.pem',
      'info: Generating client certificate/key pair - private key in vch4/key.pem',
      'info: Generated browser friendly PFX client certificate - certificate in vch4/cert.pfx',
    ]);
    const certDir = join(dir, 'vch4');
    expect(r.certPathAbsolute).toBe(certDir);
    expect(await mode(certDir)).toBe(0o700);
    const expected: Record<string, number> = {
      'ca.pem': 0o644,
      'ca-key.pem': 0o600,
      'server-cert.pem': 0o644,
      'server-key.pem': 0o600,
      'cert.pem': 0o644,
      'key.pem': 0o600,
      'cert.pfx': 0o600,
    };
    expect((await readdir(certDir)).sort()).toEqual(Object.keys(expected).sort());
    for (const [f, m] of Object.entries(expected)) expect([f, await mode(join(certDir, f))]).toEqual([f, m]);
    expect(r.written.map((p) => p.slice(certDir.length + 1)).sort()).toEqual(Object.keys(expected).sort());

    const caX = new X509Certificate(await readFile(join(certDir, 'ca.pem')));
    const srvX = new X509Certificate(await readFile(join(certDir, 'server-cert.pem')));
    const cliX = new X509Certificate(await readFile(join(certDir, 'cert.pem')));
    expect(srvX.verify(caX.publicKey)).toBe(true);
    expect(cliX.verify(caX.publicKey)).toBe(true);
    expect(srvX.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(srvX.subject).toBe('O=vch4\nO=127.0.0.1\nCN=127.0.0.1');
    expect(r.serverCertPem).toBe(srvX.toString());
    expect(r.caPem).toBe(caX.toString());
    expect(r.clientCertPem).toBe(cliX.toString());
    expect(r.serverKeyPem).toContain('BEGIN RSA PRIVATE KEY');
    // Never log key material.
    expect(JSON.stringify(r.log)).not.toMatch(/PRIVATE KEY|BEGIN/);
  });

  test('a static IP stands in for --tls-cname', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch1', staticIp: { address: '10.0.0.5/24', network: 'public' }, cwd: dir });
    expect(r.cname).toBe('10.0.0.5');
    expect(lines(r.log)[0]).toBe('info: Using public-network-ip as cname where needed - use --tls-cname to override: 10.0.0.5');
    expect(new X509Certificate(r.serverCertPem!).checkIP('10.0.0.5')).toBe('10.0.0.5');
  });

  test('a DNS cname gets a DNS SAN, and the static client IP an IP SAN', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch-rich', cname: 'vch.example.com', organization: ['Example'], staticIp: { address: '10.0.0.9' }, cwd: dir });
    const x = new X509Certificate(r.serverCertPem!);
    expect(x.subjectAltName).toBe('DNS:vch.example.com, IP Address:10.0.0.9');
    expect(x.subject).toBe('O=Example\nO=vch.example.com\nCN=vch.example.com');
  });

  test('custom --tls-cert-path (absolute and trailing slash) and --certificate-key-size', async () => {
    const dir = await cwd();
    const certPath = join(dir, 'deep', 'foo-bar-certs') + '/';
    const r = await run({ name: 'vch1', cname: 'vch1.example.com', certPath, keySize: 3072, cwd: dir });
    expect(lines(r.log)).toContain(`info: Generating CA certificate/key pair - private key in ${join(dir, 'deep', 'foo-bar-certs', 'ca-key.pem')}`);
    const x = new X509Certificate(await readFile(join(certPath, 'server-cert.pem')));
    expect(x.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(await mode(join(dir, 'deep', 'foo-bar-certs'))).toBe(0o700);
  });

  test('no cname and no static IP: one clear error naming --tls-cname, the hints, and no folder left behind', async () => {
    const dir = await cwd();
    const logged: LogEntry[] = [];
    const err = await processCertificates({ name: 'vch6', cwd: dir }, { onLog: (e) => logged.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateInputError);
    const [p, ...rest] = (err as CertificateInputError).problems;
    expect(rest).toHaveLength(0);
    expect(p!.code).toBe('cname-required');
    expect(p!.flag).toBe('--tls-cname');
    expect(p!.message).toMatch(/^provide Common Name for server certificate: use --tls-cname=.* or --no-tlsverify/);
    expect(p!.hints).toEqual(CNAME_HINTS);
    expect(lines(logged)).toContain(`info: ${CNAME_HINTS[0]}`);
    expect(await readdir(dir)).toEqual([]); // unlike the original, no empty ./vch6
  });

  test('existing certificates are reused when they fit (§11.2 item 17)', async () => {
    const dir = await cwd();
    const first = await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    const again = await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    expect(again.generated).toEqual([]);
    expect(again.written).toEqual([]);
    expect(lines(again.log)).toEqual([
      'info: Loaded server certificate vch4/server-cert.pem',
      'info: Loaded CA with default name from certificate path vch4',
      'info: Loaded client certificate with default name from certificate path vch4',
    ]);
    expect(again.serverCertPem).toBe(first.serverCertPem);
    expect(again.caPem).toBe(first.caPem);
    expect(again.clientKeyPem).toBe(first.clientKeyPem);
    // Without --tls-cname, the existing certificates are still reused.
    const noCname = await run({ name: 'vch4', cwd: dir });
    expect(noCname.generated).toEqual([]);
  });

  test('reuse fixes a too-open folder mode only when writing; generation into an existing empty folder fixes it', async () => {
    const dir = await cwd();
    await mkdir(join(dir, 'vch1'), { mode: 0o755 });
    await chmod(join(dir, 'vch1'), 0o755);
    await run({ name: 'vch1', cname: '127.0.0.1', cwd: dir });
    expect(await mode(join(dir, 'vch1'))).toBe(0o700);
  });

  test('existing certificate for another cname: error naming --tls-cname; --force reuses it with a warning', async () => {
    const dir = await cwd();
    await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    const [p, ...rest] = await problemsOf({ name: 'vch4', cname: '127.0.0.2', cwd: dir });
    expect(rest).toHaveLength(0);
    expect(p).toMatchObject({ code: 'cname-mismatch', flag: '--tls-cname' });
    expect(p!.message).toMatch(/^Provided cname does not match that in existing server certificate: --tls-cname 127\.0\.0\.2 is not among the names of "vch4\/server-cert\.pem"/);
    expect(p!.message).toContain('IP Address:127.0.0.1');
    const forced = await run({ name: 'vch4', cname: '127.0.0.2', force: true, cwd: dir });
    expect(forced.generated).toEqual([]);
    expect(lines(forced.log).some((l) => l.startsWith('warn: Provided cname does not match') && l.endsWith('using it anyway because of --force'))).toBe(true);
  });

  test('generation into a non-empty cert path is refused, naming --tls-cert-path and the files', async () => {
    const dir = await cwd();
    await mkdir(join(dir, 'vch1'));
    await writeFile(join(dir, 'vch1', 'notes.txt'), 'x');
    const [p] = await problemsOf({ name: 'vch1', cname: '127.0.0.1', cwd: dir });
    expect(p).toMatchObject({ code: 'cert-path-not-empty', flag: '--tls-cert-path' });
    expect(p!.message).toContain('Specified directory to store certificates is not empty. Specify a new path in which to store generated certificates using --tls-cert-path or remove the contents of "vch1" and run vic-machine again.');
    expect(p!.message).toContain('notes.txt');
    expect(await readdir(join(dir, 'vch1'))).toEqual(['notes.txt']);
  });

  test('--tls-cert-path naming a file', async () => {
    const dir = await cwd();
    await writeFile(join(dir, 'afile'), 'x');
    const ps = await problemsOf({ name: 'vch1', cname: '127.0.0.1', certPath: 'afile', cwd: dir });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['cert-path-not-directory', '--tls-cert-path']]);
  });

  test('half a server pair in the cert path is an error; --force ignores it (then the folder is not empty)', async () => {
    const dir = await cwd();
    await mkdir(join(dir, 'vch1'));
    await writeFile(join(dir, 'vch1', 'server-cert.pem'), await readFile(foreign.serverCert));
    const ps = await problemsOf({ name: 'vch1', cname: 'vch.example.com', cwd: dir });
    expect(ps[0]).toMatchObject({ code: 'incomplete-cert-path', flag: '--tls-cert-path' });
    expect(ps[0]!.message).toMatch(/"vch1\/server-key.pem" in the certificate path \(--tls-cert-path\) does not exist/);
  });

  test('a client certificate in the cert path that does not verify with its CA is skipped with the original warning', async () => {
    const dir = await cwd();
    await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    await writeFile(join(dir, 'vch4', 'cert.pem'), await readFile(foreign.clientOnlyCert));
    await writeFile(join(dir, 'vch4', 'key.pem'), keys[3]!.privateKeyPem);
    const r = await run({ name: 'vch4', cname: '127.0.0.1', cwd: dir });
    expect(lines(r.log)).toContain('warn: Client certificate in certificate path does not validate with provided CA - continuing without client certificate');
    expect(r.clientCertPem).toBeUndefined();
  });
});

describe('--no-tlsverify', () => {
  test('self-signed server only, CN = VCH name without cname, closing warning', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch5', noTlsVerify: true, cwd: dir });
    expect(r.mode).toBe('tls');
    expect(r.generated).toEqual(['server']);
    expect(lines(r.log)).toEqual([
      'debug: Unable to locate existing server certificate in cert path',
      'info: Generating self-signed certificate/key pair - private key in vch5/server-key.pem',
      'info: Saved the self-signed server certificate as vch5/ca.pem for docker clients (DOCKER_CERT_PATH)',
      'warn: Configuring without TLS verify - certificate-based authentication disabled',
    ]);
    // ca.pem (= the server certificate) is new: docker >= 19.03 needs a CA file even for --tls (docker/cli#2468).
    expect((await readdir(join(dir, 'vch5'))).sort()).toEqual(['ca.pem', 'server-cert.pem', 'server-key.pem']);
    expect(await readFile(join(dir, 'vch5', 'ca.pem'), 'utf8')).toBe(r.serverCertPem);
    expect(await mode(join(dir, 'vch5', 'ca.pem'))).toBe(0o644);
    expect(await mode(join(dir, 'vch5'))).toBe(0o700);
    expect(await mode(join(dir, 'vch5', 'server-key.pem'))).toBe(0o600);
    expect(await mode(join(dir, 'vch5', 'server-cert.pem'))).toBe(0o644);
    const x = new X509Certificate(r.serverCertPem!);
    expect(x.subject).toBe('O=vch5\nCN=vch5');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(r.caPem).toBeUndefined();
  });

  test('re-run reuses the folder; a later tlsverify run on it is refused with a clear error', async () => {
    const dir = await cwd();
    await run({ name: 'vch5', noTlsVerify: true, cwd: dir });
    const again = await run({ name: 'vch5', noTlsVerify: true, cwd: dir });
    expect(again.generated).toEqual([]);
    const ps = await problemsOf({ name: 'vch5', cname: '127.0.0.1', cwd: dir });
    expect(ps.map((p) => [p.code, p.flag])).toContainEqual(['not-ca', '--tls-cert-path']);
    expect(ps.find((p) => p.code === 'not-ca')!.message).toMatch(/"vch5\/ca.pem" in the certificate path \(--tls-cert-path\) is not a CA certificate/);
  });

  test('with a cname the self-signed certificate carries it as SAN', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch5', noTlsVerify: true, cname: '127.0.0.1', cwd: dir });
    expect(new X509Certificate(r.serverCertPem!).checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  test('user server certificate: nothing generated, nothing written', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch1', noTlsVerify: true, serverCert: foreign.serverCert, serverKey: foreign.serverKey, cwd: dir });
    expect(r.generated).toEqual([]);
    expect(r.serverCertPem).toBe(await readFile(foreign.serverCert, 'utf8'));
    expect(lines(r.log)).toContain(`info: Loaded server certificate ${foreign.serverCert}`);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('--no-tls', () => {
  test('no certificates, nothing written, ignored TLS flags are named', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch2', noTls: true, cname: '127.0.0.1', tlsCa: ['x'], cwd: dir });
    expect(r.mode).toBe('none');
    expect(r.serverCertPem).toBeUndefined();
    expect(lines(r.log)).toEqual([
      'warn: Configuring without TLS - all communications will be insecure',
      'warn: --no-tls disables TLS: ignoring --tls-cname, --tls-ca',
    ]);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('user-supplied certificates', () => {
  test('--tls-server-cert/--tls-server-key + cname: CA and client generated, server loaded', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch1', serverCert: foreign.serverCert, serverKey: foreign.serverKey, cname: 'vch.example.com', cwd: dir });
    expect(r.generated).toEqual(['ca', 'client', 'pfx']);
    expect(r.serverCertPem).toBe(await readFile(foreign.serverCert, 'utf8'));
    expect((await readdir(join(dir, 'vch1'))).sort()).toEqual(['ca-key.pem', 'ca.pem', 'cert.pem', 'cert.pfx', 'key.pem']);
  });

  test('a user server certificate needs no cname (improvement over the original)', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch1', serverCert: foreign.serverCert, serverKey: foreign.serverKey, cwd: dir });
    expect(r.generated).toEqual(['ca', 'client', 'pfx']);
  });

  test('--tls-ca: CA taken from the file, self-signed server, no client certificate', async () => {
    const dir = await cwd();
    const r = await run({ name: 'vch1', tlsCa: [foreign.caCert], cname: '127.0.0.1', cwd: dir });
    expect(r.generated).toEqual(['server']);
    expect(r.caPem).toBe(await readFile(foreign.caCert, 'utf8'));
    expect(r.clientCertPem).toBeUndefined();
    expect(lines(r.log)).toContain(`info: Loaded CA from ${foreign.caCert}`);
    expect(lines(r.log)).toContain('info: Generating self-signed certificate/key pair - private key in vch1/server-key.pem');
  });

  test('only one of --tls-server-cert / --tls-server-key', async () => {
    const dir = await cwd();
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverCert, cname: 'x.example.com', cwd: dir });
    expect(ps.map((p) => [p.code, p.flag, p.message])).toEqual([
      ['pair-incomplete', '--tls-server-key', 'key and cert should be specified at the same time: --tls-server-cert was given without --tls-server-key'],
    ]);
    expect(await readdir(dir)).toEqual([]);
  });

  test('switched cert and key: one error saying they are swapped', async () => {
    const dir = await cwd();
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverKey, serverKey: foreign.serverCert, cwd: dir });
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ code: 'swapped', flag: '--tls-server-cert' });
    expect(ps[0]!.message).toBe(`--tls-server-cert "${foreign.serverKey}" contains a private key and --tls-server-key "${foreign.serverCert}" contains a certificate: the two files are swapped`);
  });

  test('a key given as --tls-server-cert', async () => {
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverKey, serverKey: foreign.serverKey, cwd: await cwd() });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['key-not-cert', '--tls-server-cert']]);
    expect(ps[0]!.message).toBe(`--tls-server-cert "${foreign.serverKey}" contains a private key, not a certificate`);
  });

  test('a certificate given as --tls-server-key', async () => {
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverCert, serverKey: foreign.serverCert, cwd: await cwd() });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['cert-not-key', '--tls-server-key']]);
  });

  test('certificate and key that do not belong together', async () => {
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverCert, serverKey: foreign.otherKey, cwd: await cwd() });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['pair-mismatch', '--tls-server-cert']]);
    expect(ps[0]!.message).toMatch(/do not belong together: the private key does not match the certificate's public key$/);
  });

  test('a CA file that is actually a key', async () => {
    const ps = await problemsOf({ name: 'vch1', tlsCa: [foreign.caKey], cname: '127.0.0.1', cwd: await cwd() });
    expect(ps.map((p) => [p.code, p.flag, p.message])).toEqual([
      ['key-not-cert', '--tls-ca', `--tls-ca "${foreign.caKey}" contains a private key, not a CA certificate`],
    ]);
  });

  test('unreadable and missing files, each named with its flag, all at once', async () => {
    const dir = await cwd();
    const ps = await problemsOf({ name: 'vch1', serverCert: join(dir, 'nope.crt'), serverKey: join(dir, 'nope.key'), tlsCa: [dir], cwd: dir });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([
      ['unreadable', '--tls-server-cert'],
      ['unreadable', '--tls-server-key'],
      ['unreadable', '--tls-ca'],
    ]);
    expect(ps[0]!.message).toBe(`--tls-server-cert "${join(dir, 'nope.crt')}" does not exist`);
    expect(ps[2]!.message).toBe(`--tls-ca "${dir}" cannot be read: it is a directory`);
    expect(await readdir(dir)).toEqual([]);
  });

  test('permission denied', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const dir = await cwd();
    const p = join(dir, 'locked.key');
    await writeFile(p, keys[1]!.privateKeyPem, { mode: 0o000 });
    const ps = await problemsOf({ name: 'vch1', serverCert: foreign.serverCert, serverKey: p, cwd: dir });
    expect(ps[0]!.message).toBe(`--tls-server-key "${p}" cannot be read: permission denied`);
  });

  test('encrypted key, DER certificate, garbage', async () => {
    const dir = await cwd();
    const { createPrivateKey } = await import('node:crypto');
    const enc = join(dir, 'enc.key');
    await writeFile(enc, createPrivateKey(keys[1]!.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }));
    const der = join(dir, 'server.der');
    await writeFile(der, new X509Certificate(await readFile(foreign.serverCert)).raw);
    const junk = join(dir, 'junk.pem');
    await writeFile(junk, 'hello world\n');
    expect((await problemsOf({ name: 'v', serverCert: foreign.serverCert, serverKey: enc, cwd: dir })).map((p) => p.code)).toEqual(['encrypted-key']);
    const derProblems = await problemsOf({ name: 'v', serverCert: der, serverKey: foreign.serverKey, cwd: dir });
    expect(derProblems.map((p) => p.code)).toEqual(['not-pem']);
    expect(derProblems[0]!.message).toContain('is a DER (binary) certificate; convert it to PEM: openssl x509 -inform der');
    expect((await problemsOf({ name: 'v', tlsCa: [junk], cname: '127.0.0.1', cwd: dir }))[0]!.message).toBe(`--tls-ca "${junk}" does not contain a PEM certificate`);
  });

  test('expired user certificate is an error; --force uses it with a warning', async () => {
    const dir = await cwd();
    const ps = await problemsOf({ name: 'v', serverCert: foreign.expiredCert, serverKey: foreign.expiredKey, noTlsVerify: true, cwd: dir });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['expired', '--tls-server-cert']]);
    const r = await run({ name: 'v', serverCert: foreign.expiredCert, serverKey: foreign.expiredKey, noTlsVerify: true, force: true, cwd: dir });
    expect(lines(r.log).some((l) => /^warn: .* expired on 2020-12-31T.* using it anyway because of --force$/.test(l))).toBe(true);
  });

  test('a client-only certificate is not accepted as server certificate', async () => {
    const ps = await problemsOf({ name: 'v', serverCert: foreign.clientOnlyCert, serverKey: foreign.expiredKey, noTlsVerify: true, cwd: await cwd() });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([['wrong-usage', '--tls-server-cert']]);
  });

  test('server certificate chain file with the leaf second still works; cname checked against SANs', async () => {
    const dir = await cwd();
    const chain = join(dir, 'chain.pem');
    await writeFile(chain, (await readFile(foreign.caCert, 'utf8')) + (await readFile(foreign.serverCert, 'utf8')));
    const r = await run({ name: 'v', serverCert: chain, serverKey: foreign.serverKey, cname: 'VCH.example.com', noTlsVerify: true, cwd: dir });
    expect(new X509Certificate(r.serverCertPem!).checkHost('vch.example.com')).toBe('vch.example.com');
    expect(r.serverCertPem!.indexOf(await readFile(foreign.serverCert, 'utf8'))).toBe(0);
  });
});

describe('other input checks', () => {
  test('invalid --tls-cname and key sizes', async () => {
    const dir = await cwd();
    const ps = await problemsOf({ name: 'v', cname: 'https://vch.example.com', keySize: 512, cwd: dir });
    expect(ps.map((p) => [p.code, p.flag])).toEqual([
      ['key-size', '--certificate-key-size'],
      ['cname-invalid', '--tls-cname'],
      ['cname-required', '--tls-cname'],
    ]);
    const weak = await run({ name: 'v', cname: '127.0.0.1', keySize: 1024, noTlsVerify: true, cwd: dir });
    expect(lines(weak.log)).toContain('warn: --certificate-key-size 1024 is weak; 2048 or more is recommended');
  });

  test('planCertificates is pure: same inputs, same plan, nothing on disk', async () => {
    const dir = await cwd();
    const options = { name: 'vch9', cname: '127.0.0.1', cwd: dir };
    const inputs = await readCertificateInputs(options);
    const a = planCertificates(options, inputs);
    const b = planCertificates(options, inputs);
    expect(a.generate).toEqual({ ca: true, server: 'ca-signed', client: true, pfx: true });
    expect(a.files.map((f) => [f.name, f.mode.toString(8)])).toEqual([
      ['ca.pem', '644'],
      ['ca-key.pem', '600'],
      ['server-cert.pem', '644'],
      ['server-key.pem', '600'],
      ['cert.pem', '644'],
      ['key.pem', '600'],
      ['cert.pfx', '600'],
    ]);
    expect(b.generate).toEqual(a.generate);
    expect(await readdir(dir)).toEqual([]);
  });
});

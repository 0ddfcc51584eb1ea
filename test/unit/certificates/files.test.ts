import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CertificateError,
  dockerCommand,
  dockerEnvironment,
  formatDockerEnvFile,
  formatDockerEnvLine,
  pickStaticIpForCname,
  writeCertificateFiles,
  writeDockerEnvFile,
} from '../../../src/vic/certificates/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'certfiles-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('docker environment', () => {
  test('tlsverify: the original order, DOCKER_CERT_PATH absolute (relative to cwd)', () => {
    const vars = dockerEnvironment({ mode: 'tlsverify', host: '10.0.0.5', certPath: 'vch1', cwd: '/home/me' });
    expect(formatDockerEnvLine(vars)).toBe('DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=/home/me/vch1 DOCKER_HOST=10.0.0.5:2376 COMPOSE_TLS_VERSION=TLSv1_2');
  });
  test('tlsverify with a cert path outside the working directory keeps the real path (the original used abs(basename))', () => {
    const vars = dockerEnvironment({ mode: 'tlsverify', host: 'localhost', certPath: '/x/foo-bar-certs/', cwd: '/home/me' });
    expect(vars).toContainEqual(['DOCKER_CERT_PATH', '/x/foo-bar-certs/']);
  });
  test('tls with a cert path adds DOCKER_CERT_PATH (its ca.pem is the self-signed server certificate)', () => {
    expect(formatDockerEnvLine(dockerEnvironment({ mode: 'tls', host: '127.0.0.1', certPath: 'vch1', cwd: '/w' }))).toBe(
      'DOCKER_HOST=127.0.0.1:2376 COMPOSE_TLS_VERSION=TLSv1_2 DOCKER_TLS=1 DOCKER_CERT_PATH=/w/vch1',
    );
  });
  test('tls adds DOCKER_TLS=1 at the end; none uses 2375', () => {
    expect(formatDockerEnvLine(dockerEnvironment({ mode: 'tls', host: '127.0.0.1' }))).toBe('DOCKER_HOST=127.0.0.1:2376 COMPOSE_TLS_VERSION=TLSv1_2 DOCKER_TLS=1');
    expect(formatDockerEnvLine(dockerEnvironment({ mode: 'none', host: '127.0.0.1' }))).toBe('DOCKER_HOST=127.0.0.1:2375 COMPOSE_TLS_VERSION=TLSv1_2');
    expect(dockerEnvironment({ mode: 'none', host: 'fd00::5' })[0]).toEqual(['DOCKER_HOST', '[fd00::5]:2375']);
  });
  test('values with spaces are single-quoted', () => {
    const vars = dockerEnvironment({ mode: 'tlsverify', host: 'h', certPath: "/home/me/my vch's certs" });
    expect(formatDockerEnvFile(vars)).toContain(`DOCKER_CERT_PATH='/home/me/my vch'"'"'s certs'\n`);
  });
  test('docker command as printed at the end of create', () => {
    expect(dockerCommand({ mode: 'tlsverify', host: '127.0.0.1', certPath: 'vch-rich' })).toBe(
      'docker -H 127.0.0.1:2376 --tlsverify --tlscacert="vch-rich/ca.pem" --tlscert="vch-rich/cert.pem" --tlskey="vch-rich/key.pem" info',
    );
    expect(dockerCommand({ mode: 'tls', host: '127.0.0.1' })).toBe('docker -H 127.0.0.1:2376 --tls info');
    expect(dockerCommand({ mode: 'tls', host: '127.0.0.1', certPath: 'vch1' })).toBe('docker -H 127.0.0.1:2376 --tls --tlscacert="vch1/ca.pem" info');
    expect(dockerCommand({ mode: 'none', host: '127.0.0.1' })).toBe('docker -H 127.0.0.1:2375 info');
    expect(dockerCommand({ mode: 'tlsverify', host: 'h' })).toBe('docker -H h:2376 --tlsverify info');
  });
  test('env file: one variable per line, trailing newline, 0644, replaced on re-run', async () => {
    const dir = join(root, 'vch1');
    await mkdir(dir, { mode: 0o700 });
    const vars = dockerEnvironment({ mode: 'tlsverify', host: '127.0.0.1', certPath: dir });
    const p = await writeDockerEnvFile(dir, 'vch1', vars);
    expect(p).toBe(join(dir, 'vch1.env'));
    expect(await readFile(p!, 'utf8')).toBe(`DOCKER_TLS_VERIFY=1\nDOCKER_CERT_PATH=${dir}\nDOCKER_HOST=127.0.0.1:2376\nCOMPOSE_TLS_VERSION=TLSv1_2\n`);
    expect(await mode(p!)).toBe(0o644);
    await writeDockerEnvFile(dir, 'vch1', dockerEnvironment({ mode: 'tls', host: '127.0.0.2' }));
    expect(await readFile(p!, 'utf8')).toContain('DOCKER_HOST=127.0.0.2:2376\n');
  });
  test('env file: no folder (--no-tls) → not written unless asked', async () => {
    const dir = join(root, 'vch-notls');
    expect(await writeDockerEnvFile(dir, 'vch-notls', dockerEnvironment({ mode: 'none', host: 'h' }))).toBeUndefined();
    const p = await writeDockerEnvFile(dir, 'vch-notls', dockerEnvironment({ mode: 'none', host: 'h' }), { createDirectory: true });
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(p!)).toBe(0o644);
  });
});

describe('writeCertificateFiles', () => {
  test('all or nothing: a failure removes what was written and the folder it created', async () => {
    const dir = join(root, 'rollback', 'certs');
    const err = await writeCertificateFiles(dir, [
      { name: 'a.pem', content: 'a', mode: 0o644 },
      { name: 'b-key.pem', content: 'b', mode: 0o600 },
      { name: 'a.pem', content: 'again', mode: 0o644 },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect(err).toMatchObject({ code: 'write-failed', flag: '--tls-cert-path' });
    expect(await readdir(join(root, 'rollback'))).toEqual([]);
  });
  test('never overwrites an existing file, keeps other files', async () => {
    const dir = join(root, 'keep');
    await mkdir(dir);
    await writeFile(join(dir, 'key.pem'), 'old');
    await expect(writeCertificateFiles(dir, [{ name: 'key.pem', content: 'new', mode: 0o600 }])).rejects.toThrow(/already exists/);
    expect(await readFile(join(dir, 'key.pem'), 'utf8')).toBe('old');
  });
  test('modes are exact despite the umask; an existing folder is tightened to 0700', async () => {
    const dir = join(root, 'modes');
    await mkdir(dir, { mode: 0o777 });
    const old = process.umask(0o000);
    try {
      await writeCertificateFiles(dir, [
        { name: 'k.pem', content: 'k', mode: 0o600 },
        { name: 'c.pem', content: 'c', mode: 0o644 },
      ]);
    } finally {
      process.umask(old);
    }
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'k.pem'))).toBe(0o600);
    expect(await mode(join(dir, 'c.pem'))).toBe(0o644);
  });
});

describe('pickStaticIpForCname (§6.3 step 4)', () => {
  test('client IP first', () => {
    expect(pickStaticIpForCname({ client: { ip: '10.0.0.5/24', portGroup: 'c' }, public: { ip: '10.1.0.5/24', portGroup: 'p' } })).toEqual({ address: '10.0.0.5', network: 'client' });
  });
  test('public IP when it shares the client port group or there is no client network', () => {
    expect(pickStaticIpForCname({ client: { portGroup: 'pg' }, public: { ip: '10.1.0.5', portGroup: 'pg' } })).toEqual({ address: '10.1.0.5', network: 'public' });
    expect(pickStaticIpForCname({ public: { ip: '10.1.0.5', portGroup: 'pg' } })).toEqual({ address: '10.1.0.5', network: 'public' });
    expect(pickStaticIpForCname({ client: { portGroup: 'c' }, public: { ip: '10.1.0.5', portGroup: 'p' } })).toBeUndefined();
  });
  test('management IP when it shares the client (or, without client, the public) port group', () => {
    expect(pickStaticIpForCname({ client: { portGroup: 'c' }, management: { ip: '10.2.0.5', portGroup: 'c' } })).toEqual({ address: '10.2.0.5', network: 'management' });
    expect(pickStaticIpForCname({ public: { portGroup: 'p' }, management: { ip: '10.2.0.5', portGroup: 'p' } })).toEqual({ address: '10.2.0.5', network: 'management' });
    expect(pickStaticIpForCname({ public: { portGroup: 'p' }, management: { ip: '10.2.0.5', portGroup: 'm' } })).toBeUndefined();
  });
});

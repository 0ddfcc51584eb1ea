/**
 * The real docker client against the appliance stand-in, with certificates from our certificate module:
 *  - tlsverify: CA + server (IP SAN 127.0.0.7) + client, DOCKER_CERT_PATH = the folder our writer made;
 *  - a client without (or with a foreign) client certificate is refused;
 *  - --no-tlsverify: `docker --tls`, and the env file's DOCKER_TLS=1;
 *  - --no-tls: plain HTTP.
 * Skipped (with a message) only when no docker client is installed.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { access, constants, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dockerCommand,
  caSubject,
  clientSubject,
  createCaCertificate,
  createClientCertificate,
  dockerEnvironment,
  generateRsaKeyPairs,
  processCertificates,
  writeDockerEnvFile,
  type CertificateResult,
} from '../../src/vic/certificates/index.js';
import { startDockerApiStandIn, type DockerApiStandIn } from '../support/appliance-stand-in.js';

const CANDIDATES = ['/usr/local/bin/docker', '/usr/bin/docker'];

async function findDocker(): Promise<string | undefined> {
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean).map((d) => join(d, 'docker')), ...CANDIDATES]) {
    try {
      await access(dir, constants.X_OK);
      return dir;
    } catch {
      /* next */
    }
  }
  return undefined;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let docker: string | undefined;
let baseEnv: NodeJS.ProcessEnv;

/** Run docker asynchronously (the stand-in lives in this process, so never block the event loop). */
function runDocker(args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(docker!, args, { env: { ...baseEnv, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Parse our env file (`KEY=value` lines, values possibly single-quoted). */
async function readEnvFile(p: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of (await readFile(p, 'utf8')).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.startsWith("'") ? m[2]!.slice(1, -1).replaceAll(`'"'"'`, "'") : m[2]!;
  }
  return out;
}

beforeAll(async () => {
  docker = await findDocker();
  work = await mkdtemp(join(tmpdir(), 'docker-stand-in-'));
  const home = join(work, 'home');
  await mkdir(join(home, '.docker'), { recursive: true });
  // Isolate the client from any user configuration, contexts or default certificates in ~/.docker.
  baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: join(home, '.docker'),
    DOCKER_CLI_HINTS: 'false',
  };
  if (!docker) console.log('docker client not found (PATH, /usr/local/bin, /usr/bin): skipping the docker stand-in tests');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('docker client against the appliance stand-in', () => {
  describe('tlsverify (default mode)', () => {
    let certs: CertificateResult;
    let standIn: DockerApiStandIn;

    beforeAll(async () => {
      if (!docker) return;
      certs = await processCertificates({ name: 'vch-standin', cname: '127.0.0.7', cwd: work });
      standIn = await startDockerApiStandIn({
        host: '127.0.0.7',
        serverCertPem: certs.serverCertPem!,
        serverKeyPem: certs.serverKeyPem!,
        clientCaPem: certs.caPem!,
        name: 'vch-standin',
      });
    });
    afterAll(async () => {
      await standIn?.stop();
    });

    test('docker info with DOCKER_HOST/DOCKER_TLS_VERIFY/DOCKER_CERT_PATH (our cert folder) succeeds', async () => {
      if (!docker) return;
      const r = await runDocker(['info'], {
        DOCKER_HOST: standIn.dockerHost,
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: certs.certPathAbsolute,
      });
      expect(r.stderr).not.toMatch(/error during connect|certificate/i);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\s*Name: vch-standin$/m);
      expect(r.stdout).toMatch(/Server Version: v1\.5\.8/);
      expect(standIn.requests.some((q) => /^GET \/v1\.25\/info$/.test(q))).toBe(true);
      expect(standIn.requests.some((q) => /^(HEAD|GET) \/_ping$/.test(q))).toBe(true);
      expect(standIn.clientCertificates).toContain('vch-standin client');
    });

    test('the env file written by our writer works as is (DOCKER_HOST without scheme, absolute DOCKER_CERT_PATH)', async () => {
      if (!docker) return;
      const vars = dockerEnvironment({ mode: 'tlsverify', host: '127.0.0.7', port: standIn.port, certPath: certs.certPathAbsolute });
      const envFile = await writeDockerEnvFile(certs.certPathAbsolute, 'vch-standin', vars);
      const env = await readEnvFile(envFile!);
      expect(env.DOCKER_CERT_PATH).toBe(certs.certPathAbsolute);
      const r = await runDocker(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('v1.5.8 1.25');
    });

    test('docker -H ... --tlsverify --tlscacert/--tlscert/--tlskey (the printed command) succeeds', async () => {
      if (!docker) return;
      const d = certs.certPathAbsolute;
      const r = await runDocker(
        ['-H', `127.0.0.7:${standIn.port}`, '--tlsverify', `--tlscacert=${join(d, 'ca.pem')}`, `--tlscert=${join(d, 'cert.pem')}`, `--tlskey=${join(d, 'key.pem')}`, 'info', '--format', '{{.Name}}'],
        {},
      );
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('vch-standin');
    });

    test('a client without a client certificate is refused', async () => {
      if (!docker) return;
      const onlyCa = join(work, 'only-ca');
      await mkdir(onlyCa, { recursive: true });
      await copyFile(join(certs.certPathAbsolute, 'ca.pem'), join(onlyCa, 'ca.pem'));
      const before = standIn.requests.length;
      const rejectedBefore = standIn.rejectedHandshakes;
      const r = await runDocker(['info', '--format', '{{.Name}}'], { DOCKER_HOST: standIn.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: onlyCa });
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`).toMatch(/certificate|tls/i);
      expect(r.stdout).not.toContain('vch-standin');
      expect(standIn.requests.length).toBe(before); // nothing got through to HTTP
      expect(standIn.rejectedHandshakes).toBeGreaterThan(rejectedBefore);
    });

    test('a client certificate from another CA is refused', async () => {
      if (!docker) return;
      const [caKey, clientKey] = await generateRsaKeyPairs(2, 2048);
      const otherCa = await createCaCertificate(caKey!, caSubject('Other', ['Other']));
      const otherClient = await createClientCertificate(clientKey!, clientSubject('Other', ['Other']), { certPem: otherCa.certPem, privateKey: caKey!.privateKey });
      const dir = join(work, 'foreign-client');
      await mkdir(dir, { recursive: true });
      await copyFile(join(certs.certPathAbsolute, 'ca.pem'), join(dir, 'ca.pem'));
      await writeFile(join(dir, 'cert.pem'), otherClient.certPem);
      await writeFile(join(dir, 'key.pem'), otherClient.keyPem, { mode: 0o600 });
      const r = await runDocker(['info', '--format', '{{.Name}}'], { DOCKER_HOST: standIn.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir });
      expect(r.code).not.toBe(0);
      expect(r.stdout).not.toContain('vch-standin');
    });

    test('the client refuses a server whose certificate is not valid for the address dialled', async () => {
      if (!docker) return;
      // Same certificates, but the stand-in answers on 127.0.0.8, which is not in the server certificate's SANs.
      const other = await startDockerApiStandIn({ host: '127.0.0.8', serverCertPem: certs.serverCertPem!, serverKeyPem: certs.serverKeyPem!, clientCaPem: certs.caPem! });
      try {
        const r = await runDocker(['info'], { DOCKER_HOST: other.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.certPathAbsolute });
        expect(r.code).not.toBe(0);
        expect(r.stderr).toMatch(/127\.0\.0\.8|certificate/i);
      } finally {
        await other.stop();
      }
    });
  });

  describe('--no-tlsverify', () => {
    let certs: CertificateResult;
    let standIn: DockerApiStandIn;

    beforeAll(async () => {
      if (!docker) return;
      certs = await processCertificates({ name: 'vch-tls', noTlsVerify: true, cname: '127.0.0.7', cwd: work });
      standIn = await startDockerApiStandIn({ host: '127.0.0.7', serverCertPem: certs.serverCertPem!, serverKeyPem: certs.serverKeyPem!, name: 'vch-tls' });
    });
    afterAll(async () => {
      await standIn?.stop();
    });

    test('the printed command, docker -H host:port --tls --tlscacert=<cert path>/ca.pem info, succeeds', async () => {
      if (!docker) return;
      const cmd = dockerCommand({ mode: 'tls', host: '127.0.0.7', port: standIn.port, certPath: certs.certPathAbsolute });
      const args = cmd.split(' ').slice(1).map((a) => a.replace(/^(--tlscacert=)"(.*)"$/, '$1$2'));
      const r = await runDocker(args, {});
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\s*Name: vch-tls$/m);
    });

    test("the original's command (--tls alone) fails on current docker without ~/.docker/ca.pem (docker/cli#2468)", async () => {
      if (!docker) return;
      const r = await runDocker(['-H', `127.0.0.7:${standIn.port}`, '--tls', 'info'], {});
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/ca\.pem/);
    });

    test('the env file (DOCKER_TLS=1, DOCKER_CERT_PATH) works; without DOCKER_TLS docker speaks plain HTTP and fails', async () => {
      if (!docker) return;
      const vars = dockerEnvironment({ mode: 'tls', host: '127.0.0.7', port: standIn.port, certPath: certs.certPathAbsolute });
      const env = await readEnvFile((await writeDockerEnvFile(certs.certPathAbsolute, 'vch-tls', vars))!);
      const ok = await runDocker(['info', '--format', '{{.Name}}'], env);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout.trim()).toBe('vch-tls');
      const { DOCKER_TLS: _dropped, ...original } = env;
      const bad = await runDocker(['info', '--format', '{{.Name}}'], original);
      expect(bad.code).not.toBe(0);
    });

    test('no client certificate is needed; with a cname even --tlsverify works against the self-signed certificate', async () => {
      if (!docker) return;
      const r = await runDocker(['version', '--format', '{{.Server.Version}}'], { DOCKER_HOST: standIn.dockerHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs.certPathAbsolute });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('v1.5.8');
      expect(standIn.clientCertificates).toEqual([]);
    });
  });

  describe('--no-tls', () => {
    test('plain HTTP stand-in answers docker info', async () => {
      if (!docker) return;
      const standIn = await startDockerApiStandIn({ host: '127.0.0.9', tls: false, name: 'vch-notls' });
      try {
        const r = await runDocker(['info', '--format', '{{.Name}} {{.OperatingSystem}}'], { DOCKER_HOST: standIn.dockerHost });
        expect(r.code).toBe(0);
        expect(r.stdout.trim()).toBe('vch-notls VMware Photon OS/Linux');
      } finally {
        await standIn.stop();
      }
    });
  });
});

describe('stand-in itself', () => {
  test('binds only to 127.0.0.0/8', async () => {
    await expect(startDockerApiStandIn({ host: '0.0.0.0', tls: false })).rejects.toThrow(/127\.0\.0\.0\/8/);
    await expect(startDockerApiStandIn({ host: '10.0.0.1', tls: false })).rejects.toThrow(/127\.0\.0\.0\/8/);
    await expect(startDockerApiStandIn({ host: '127.0.0.256', tls: false })).rejects.toThrow(/127\.0\.0\.0\/8/);
  });

  test('answers /_ping (GET and HEAD with API-Version), /version, /vX.Y/info, 404 otherwise', async () => {
    const s = await startDockerApiStandIn({ host: '127.0.0.10', tls: false, name: 'plain' });
    try {
      const base = `http://127.0.0.10:${s.port}`;
      const ping = await fetch(`${base}/_ping`);
      expect(ping.status).toBe(200);
      expect(ping.headers.get('api-version')).toBe('1.25');
      expect(await ping.text()).toBe('OK');
      const head = await fetch(`${base}/_ping`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('api-version')).toBe('1.25');
      expect(await (await fetch(`${base}/version`)).json()).toMatchObject({ Version: 'v1.5.8', ApiVersion: '1.25', MinAPIVersion: '1.19' });
      expect(await (await fetch(`${base}/v1.25/info`)).json()).toMatchObject({ Name: 'plain', ServerVersion: 'v1.5.8' });
      expect((await fetch(`${base}/v1.40/info`)).status).toBe(400);
      expect((await fetch(`${base}/containers/json`)).status).toBe(404);
      expect(s.requests).toEqual(['GET /_ping', 'HEAD /_ping', 'GET /version', 'GET /v1.25/info', 'GET /v1.40/info', 'GET /containers/json']);
    } finally {
      await s.stop();
    }
  });

  test('a specific port can be asked for', async () => {
    const probe = await startDockerApiStandIn({ host: '127.0.0.11', tls: false });
    const port = probe.port;
    await probe.stop();
    const s = await startDockerApiStandIn({ host: '127.0.0.11', tls: false, port });
    try {
      expect(s.port).toBe(port);
    } finally {
      await s.stop();
    }
  });

  test('TLS needs a server certificate', async () => {
    await expect(startDockerApiStandIn({ host: '127.0.0.12' })).rejects.toThrow(/serverCertPem and serverKeyPem are required/);
  });
});

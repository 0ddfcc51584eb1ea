// vic-machine-server through clients nobody here wrote: swagger-client (npm) loading the spec the server serves and
// calling its operations by operationId, and curl over https with the server's self-signed certificate. The same
// flows as api.test.ts: metadata, list, inspect, certificate, log, firewall, delete with its task.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SwaggerClient from 'swagger-client';
import { simulatorSuite } from '../support/simulator-suite.js';
import type { Vcsim } from '../support/vcsim.js';
import { dc0, haveFixtures, recreateFixture } from '../support/fixture-vch.js';
import { runCli } from '../support/in-process-cli.js';
import type { Session } from '../../src/vim/session.js';
import type { MoRef } from '../../src/vim/types.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const run = promisify(execFile);
let sim: Vcsim;
let admin: Session;
let cwd: string;
const USER = 'api-user';
const PASSWORD = 'Clients-Pw-7';
simulatorSuite({ tmpPrefix: 'vicm-server-clients-', isos: true, vcsim: { username: USER, password: PASSWORD } }, (s) => ({ sim, admin, cwd } = s));

let srv: ServerProcess;
let vm: MoRef;
let dcId: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let client: any;

const cliTarget = () => ['--target', `${sim.host}/DC0`, '--user', USER, '--password', PASSWORD, '--thumbprint', sim.thumbprintSHA1];

async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '--cacert', path.join(srv.dir, 'state', 'server-cert.pem'), '-u', `${USER}:${PASSWORD}`, '-w', '\n%{http_code}', ...args]);
  const i = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(i + 1)), body: stdout.slice(0, i) };
}

(haveFixtures ? describe : describe.skip)('vic-machine-server through swagger-client and curl', () => {
  beforeAll(async () => {
    vm = await recreateFixture(admin, 'basic', 'vch1');
    dcId = (await dc0(admin)).ref.value;
    srv = await startServer({ cwd });
    client = await SwaggerClient({ url: `${srv.http}/container/swagger.json`, authorizations: { basic: { username: USER, password: PASSWORD } } });
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const target = () => ({ target: sim.host, thumbprint: sim.thumbprintSHA1 });

  test('swagger-client: the spec loads, and its operations carry their operationIds', () => {
    const ops = Object.keys(client.apis.default).sort();
    expect(ops).toEqual(expect.arrayContaining(['getHello', 'getVersion', 'getRoot', 'getTargetTargetVch', 'getTargetTargetVchVchId',
      'getTargetTargetDatacenterDatacenterVch', 'deleteTargetTargetVchVchId', 'postTargetTargetVch', 'putTargetTargetVchVchId',
      'patchTargetTargetVchVchId', 'postTargetTargetVchVchId', 'getTargetTarget', 'postTargetTarget', 'getTasksTaskId', 'deleteTasksTaskId']));
  });

  test('swagger-client: hello, version, metadata', async () => {
    expect((await client.apis.default.getHello()).text).toBe('success');
    const version = (await client.apis.default.getVersion()).text;
    expect(version).toBe('v1.5.8-1-9489f63');
    expect((await client.apis.default.getRoot()).body).toMatchObject({ version, 'bootstrap-images': ['bootstrap.iso'] });
  });

  test('swagger-client: list and inspect, in both forms, as the CLI says them', async () => {
    const ls = JSON.parse((await runCli(['ls', '--json', ...cliTarget()], cwd)).stdout);
    const list = (await client.apis.default.getTargetTargetVch(target())).body;
    expect(list.vchs.map((v: { id: string }) => v.id)).toEqual(ls.vchs.map((v: { id: string }) => v.id));
    const dcList = (await client.apis.default.getTargetTargetDatacenterDatacenterVch({ ...target(), datacenter: dcId })).body;
    expect(dcList).toEqual(list);
    const model = JSON.parse((await runCli(['inspect', 'config', '--format', 'json', '--id', vm.value, ...cliTarget()], cwd)).stdout);
    const got = (await client.apis.default.getTargetTargetVchVchId({ ...target(), vchId: vm.value })).body;
    const { runtime: _runtime, ...rest } = got;
    expect(rest).toEqual(model);
  });

  test('swagger-client: certificate, log, firewall', async () => {
    const cert = await client.apis.default.getTargetTargetVchVchIdCertificate({ ...target(), vchId: vm.value });
    // swagger-client hands an application/x-pem-file answer over as a Blob
    const pem = typeof cert.text === 'string' ? cert.text : await cert.text.text();
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const log = await client.apis.default.getTargetTargetVchVchIdLog({ ...target(), vchId: vm.value });
    expect(log.text).toContain('fixture vic-machine_');
    const allow = await client.apis.default.postTargetTarget({ ...target(), 'compute-resource': 'DC0_C0', action: 'firewall:allow' });
    expect(allow.status).toBe(204);
    const fw = (await client.apis.default.getTargetTarget({ ...target(), 'compute-resource': 'DC0_C0' })).body;
    expect(fw.firewall.every((h: { in_supported_state: boolean }) => h.in_supported_state)).toBe(true);
  });

  test('swagger-client: errors arrive in the one shape (a wrong id: 404, no thumbprint: 400 naming the certificate)', async () => {
    const e404 = await client.apis.default.getTargetTargetVchVchId({ ...target(), vchId: 'vm-424242' }).catch((e: { status: number; response: { body: unknown } }) => e);
    expect(e404.status).toBe(404);
    expect(e404.response.body).toMatchObject({ type: 'not-found', field: 'vchId' });
    const e400 = await client.apis.default.getTargetTargetVch({ target: sim.host }).catch((e: { status: number; response: { body: unknown } }) => e);
    expect(e400.status).toBe(400);
    expect(e400.response.body).toMatchObject({ certificate: { sha1: sim.thumbprintSHA1 } });
  });

  test('swagger-client: delete with a Deletion_Specification, then its task', async () => {
    const vm2 = await recreateFixture(admin, 'basic', 'vch-sc');
    const r = await client.apis.default.deleteTargetTargetVchVchId({ ...target(), vchId: vm2.value }, { requestBody: { containers: 'all', volume_stores: 'none' } });
    expect(r.status).toBe(202);
    const taskId = new URL(r.body.task).pathname.split('/').pop();
    const t = (await client.apis.default.getTasksTaskId({ taskId })).body;
    expect(t).toMatchObject({ operation: 'delete', state: 'success', vch: { name: 'vch-sc' } });
  });

  test('curl over https (the self-signed certificate as CA): metadata, list, inspect, certificate, log, firewall, delete', async () => {
    const S = `${srv.https}/container`;
    const T = `${S}/target/${sim.host}`;
    const tp = `thumbprint=${sim.thumbprintSHA1}`;
    expect(await curl([`${S}/hello`])).toEqual({ status: 200, body: 'success' });
    expect(JSON.parse((await curl([`${S}`])).body).version).toBe('v1.5.8-1-9489f63');
    const list = await curl([`${T}/vch?${tp}`]);
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body).vchs.map((v: { id: string }) => v.id)).toContain(vm.value);
    const dcList = await curl([`${T}/datacenter/${dcId}/vch?${tp}`]);
    expect(JSON.parse(dcList.body)).toEqual(JSON.parse(list.body));
    const one = await curl([`${T}/vch/${vm.value}?${tp}`]);
    expect(JSON.parse(one.body).name).toBe('vch1');
    expect((await curl([`${T}/vch/${vm.value}/certificate?${tp}`])).body).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await curl([`${T}/vch/${vm.value}/log?${tp}`])).status).toBe(200);
    expect((await curl(['-X', 'POST', `${T}?${tp}&compute-resource=DC0_C0&action=firewall:deny`])).status).toBe(204);
    const fw = JSON.parse((await curl([`${T}?${tp}&compute-resource=DC0_C0`])).body);
    expect(fw.firewall.every((h: { in_supported_state: boolean }) => !h.in_supported_state)).toBe(true);
    const vm3 = await recreateFixture(admin, 'basic', 'vch-curl');
    const del = await curl(['-X', 'DELETE', '-H', 'Content-Type: application/json', '-d', '{"containers":"all"}', `${T}/vch/${vm3.value}?${tp}`]);
    expect(del.status).toBe(202);
    expect(JSON.parse(del.body).task).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/container\/tasks\//);
    // wrong password: 401 and the challenge
    const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-D', '-', '--cacert', path.join(srv.dir, 'state', 'server-cert.pem'), '-u', `${USER}:wrong`, `${T}/vch?${tp}`]);
    expect(stdout).toMatch(/^HTTP\/1\.1 401/);
    expect(stdout).toMatch(/WWW-Authenticate: Basic realm="vSphere"/i);
    expect(fs.readFileSync(srv.logFile, 'utf8')).not.toContain(PASSWORD);
  });
});

// create's check of the Docker API for a VCH that verifies clients against a CA whose client certificates create does
// not have (--tls-ca, or the console's browser-made CA): the appliance stand-in, verifying clients against that CA,
// refuses the probe's handshake, and that refusal shows the API is up (1.5's CheckDockerAPI tlsErrExpected); with
// another server certificate than the VCH's, or without the flag, the probe fails.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { probeDockerApi } from '../../../src/vic/appliance/wait-ready.js';
import { processCertificates, type CertificateResult } from '../../../src/vic/certificates/index.js';
import { startDockerApiStandIn, type DockerApiStandIn } from '../../support/appliance-stand-in.js';

let dir: string;
let certs: CertificateResult;
let other: CertificateResult;
let standIn: DockerApiStandIn;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-ca-'));
  certs = await processCertificates({ name: 'vch-ca', cname: '127.0.0.21', cwd: dir });
  other = await processCertificates({ name: 'vch-other', noTlsVerify: true, cname: '127.0.0.21', cwd: dir });
  standIn = await startDockerApiStandIn({ host: '127.0.0.21', serverCertPem: certs.serverCertPem!, serverKeyPem: certs.serverKeyPem!, clientCaPem: certs.caPem!, name: 'vch-ca' });
}, 60_000);
afterAll(async () => {
  await standIn?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('refused for want of a client certificate: up, when the VCH verifies clients against a CA create has no client of', async () => {
  const e = { host: '127.0.0.21', port: standIn.port, tls: true, serverCertPem: certs.serverCertPem! };
  await expect(probeDockerApi({ ...e, verifiesClientsWithoutOurs: true })).resolves.toEqual({});
  await expect(probeDockerApi(e)).rejects.toThrow(/certificate/);
  // with the client certificate the answer is the API's
  await expect(probeDockerApi({ ...e, clientCertPem: certs.clientCertPem!, clientKeyPem: certs.clientKeyPem!, verifiesClientsWithoutOurs: false })).resolves.toMatchObject({ Name: 'vch-ca' });
  expect(standIn.requests.filter((r) => r.endsWith('/info'))).toHaveLength(1);
});

test('another server certificate than the VCH\'s is not taken for the VCH, refusal or not', async () => {
  await expect(probeDockerApi({ host: '127.0.0.21', port: standIn.port, tls: true, serverCertPem: other.serverCertPem!, verifiesClientsWithoutOurs: true })).rejects.toThrow();
});

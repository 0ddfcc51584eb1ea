// One certificate run in its own process, as create does it in a fresh `vic-machine create`: processCertificates
// (src/vic/certificates, the path create uses) for a tlsverify VCH — CA, server and client at 2048 bits, plus the
// PFX — written into a temporary cert folder. Prints one JSON line (CertResult) on stdout.
// The event loop is watched two ways while it runs: perf_hooks.monitorEventLoopDelay (1 ms resolution; its max is
// the longest delay seen) and a 1 ms interval timer whose lateness is measured directly.
// With the argument "steps" the same work is done step by step through src/vic/certificates/build.ts (keys with
// node-forge loading, CA, server, client, PFX), yielding to the event loop between steps, and the longest timer
// lateness is reported per step: that shows which synchronous stretch a stall comes from.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { processCertificates } from '../src/vic/certificates/process.js';
import { createCaCertificate, createClientCertificate, createPfx, createServerCertificate } from '../src/vic/certificates/build.js';
import { generateRsaKeyPairs } from '../src/vic/certificates/keys.js';
import { loadForge } from '../src/vic/certificates/forge.js';

export interface CertResult {
  ms: number;
  /** longest event-loop delay per monitorEventLoopDelay, ms */
  maxDelayMs: number;
  /** longest lateness of a 1 ms interval timer, ms */
  maxTimerLateMs: number;
  generated: string[];
  keyBits: number;
  /** mode "steps": the longest timer lateness within each step, ms */
  steps?: Record<string, number>;
}

const STEPS = process.argv[2] === 'steps';
let step = '';
const perStep: Record<string, number> = {};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-bench-cert-'));
const h = monitorEventLoopDelay({ resolution: 1 });
let maxLate = 0;
let expected = performance.now() + 1;
const timer = setInterval(() => {
  const now = performance.now();
  maxLate = Math.max(maxLate, now - expected);
  if (step) perStep[step] = Math.max(perStep[step] ?? 0, now - expected);
  expected = now + 1;
}, 1);
// Let the watchers settle (the first tick after start-up is late for reasons that are not ours).
await new Promise((r) => setTimeout(r, 20));
maxLate = 0;
h.enable();
try {
  const started = performance.now();
  if (STEPS) {
    await runSteps();
    const ms = performance.now() - started;
    h.disable();
    clearInterval(timer);
    const out: CertResult = { ms, maxDelayMs: h.max / 1e6, maxTimerLateMs: maxLate, generated: ['ca', 'server', 'client', 'pfx'], keyBits: 2048, steps: perStep };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  }
  const res = await processCertificates({ name: 'vch1', cname: 'vch1.example.com', cwd: dir, keySize: 2048 });
  const ms = performance.now() - started;
  h.disable();
  clearInterval(timer);
  // What create leaves must be right too: a 0700 folder, 0600 keys, 2048-bit keys.
  const certDir = path.join(dir, 'vch1');
  if ((fs.statSync(certDir).mode & 0o777) !== 0o700) throw new Error('the cert folder is not 0700');
  for (const f of ['ca-key.pem', 'server-key.pem', 'key.pem']) {
    if ((fs.statSync(path.join(certDir, f)).mode & 0o777) !== 0o600) throw new Error(`${f} is not 0600`);
  }
  const { createPrivateKey } = await import('node:crypto');
  const keyBits = createPrivateKey(fs.readFileSync(path.join(certDir, 'server-key.pem'))).asymmetricKeyDetails?.modulusLength ?? 0;
  const out: CertResult = { ms, maxDelayMs: h.max / 1e6, maxTimerLateMs: maxLate, generated: res.generated, keyBits };
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

async function runSteps(): Promise<void> {
  const settle = () => new Promise((r) => setTimeout(r, 5)); // lets the timer tick, so each step is measured alone
  const subject = { commonName: 'vch1', organization: ['vch1'] };
  step = '3 keys (thread pool) + loading node-forge';
  const [keys] = await Promise.all([generateRsaKeyPairs(3, 2048), loadForge()]);
  await settle();
  step = 'CA certificate';
  const ca = await createCaCertificate(keys[0]!, subject);
  await settle();
  const issuer = { certPem: ca.certPem, privateKey: keys[0]!.privateKey };
  step = 'server certificate';
  await createServerCertificate(keys[1]!, subject, { dns: ['vch1.example.com'], ip: [] }, issuer);
  await settle();
  step = 'client certificate';
  const client = await createClientCertificate(keys[2]!, subject, issuer);
  await settle();
  step = 'PFX';
  await createPfx(client.keyPem, client.certPem, [ca.certPem]);
  await settle();
  step = '';
}

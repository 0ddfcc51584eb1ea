// Certificates as create makes them: CA, server and client at 2048 bits (plus the PFX), each run a fresh process
// (bench/cert-worker.ts), so that loading node-forge is counted as in a real `create`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { here, log, f1 } from './util.js';
import type { CertResult } from './cert-worker.js';

function runWorker(): Promise<CertResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'cert-worker.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`certificate worker exited with ${code}`));
      try { resolve(JSON.parse(out.trim()) as CertResult); } catch (e) { reject(e); }
    });
  });
}

export async function benchCertificates(runs: number): Promise<CertResult[]> {
  await runWorker(); // warm-up (page cache)
  const all: CertResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runWorker();
    all.push(r);
    log(`certificates ${i + 1}/${runs}: ${f1(r.ms)} ms, longest stall ${f1(r.maxDelayMs)} ms (timer ${f1(r.maxTimerLateMs)} ms), ${r.generated.join('+')}`);
  }
  return all;
}

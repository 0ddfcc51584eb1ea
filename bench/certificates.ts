// Certificates as create makes them: CA, server and client at 2048 bits (plus the PFX), each run a fresh process
// (bench/cert-worker.ts), so that loading node-forge is counted as in a real `create`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { here, log, f1 } from './util.js';
import type { CertResult } from './cert-worker.js';

function runWorker(mode: 'whole' | 'steps' = 'whole'): Promise<CertResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'cert-worker.js'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`certificate worker exited with ${code}`));
      try { resolve(JSON.parse(out.trim()) as CertResult); } catch (e) { reject(e); }
    });
  });
}

export interface CertificatesResult { whole: CertResult[]; steps: CertResult[] }

/** The whole of processCertificates `runs` times, then the steps one by one `runs` times (where a stall comes from). */
export async function benchCertificates(runs: number): Promise<CertificatesResult> {
  await runWorker(); // warm-up (page cache)
  const whole: CertResult[] = [];
  const steps: CertResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runWorker();
    whole.push(r);
    log(`certificates ${i + 1}/${runs}: ${f1(r.ms)} ms, longest stall ${f1(r.maxDelayMs)} ms (timer ${f1(r.maxTimerLateMs)} ms), ${r.generated.join('+')}`);
    const s = await runWorker('steps');
    steps.push(s);
    log(`certificate steps ${i + 1}/${runs}: ${Object.entries(s.steps ?? {}).map(([k, v]) => `${k} ${f1(v)}`).join(', ')}`);
  }
  return { whole, steps };
}

/**
 * Measurement (no timing assertion): CA + server + client (+ cert.pfx) at 2048 bits, wall time and the longest
 * event-loop stall while generating. Target: < 1 s and no stall > 50 ms on a 2-vCPU box.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { processCertificates } from '../../../src/vic/certificates/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cert-timing-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Longest gap between ticks of a 2 ms interval, while `fn` runs. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; maxStallMs: number; histogramMaxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  }, 2);
  const t0 = performance.now();
  try {
    const result = await fn();
    const ms = performance.now() - t0;
    maxGap = Math.max(maxGap, performance.now() - last);
    return { result, ms, maxStallMs: maxGap, histogramMaxMs: h.max / 1e6 };
  } finally {
    clearInterval(timer);
    h.disable();
  }
}

describe('certificate generation timing', () => {
  test('CA + server + client + pfx at 2048 bits', async () => {
    const runs: Array<{ ms: number; maxStallMs: number; histogramMaxMs: number }> = [];
    for (let i = 0; i < 6; i++) {
      const m = await measure(() => processCertificates({ name: `vch${i}`, cname: '127.0.0.1', cwd: root }));
      expect(m.result.generated).toEqual(['ca', 'server', 'client', 'pfx']);
      runs.push({ ms: m.ms, maxStallMs: m.maxStallMs, histogramMaxMs: m.histogramMaxMs });
    }
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    const warm = runs.slice(1);
    console.log(
      [
        'certificate generation (CA+server+client+pfx, 2048-bit, keys in parallel):',
        `  first run (includes loading node-forge): ${runs[0]!.ms.toFixed(0)} ms, max event-loop stall ${runs[0]!.maxStallMs.toFixed(1)} ms`,
        `  next ${warm.length} runs: wall ms [${fmt(warm.map((r) => r.ms))}], median ${sorted(warm.map((r) => r.ms))[Math.floor(warm.length / 2)]!.toFixed(0)} ms`,
        `  max event-loop stall per run (interval probe) ms [${fmt(runs.map((r) => r.maxStallMs))}]`,
        `  monitorEventLoopDelay max per run ms [${fmt(runs.map((r) => r.histogramMaxMs))}]`,
      ].join('\n'),
    );
  });
});

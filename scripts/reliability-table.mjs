#!/usr/bin/env node
// Runs the full create fault sweep (every call point, no sampling) and prints its outcome table in markdown, the
// table docs/reliability.md carries. Usage: npm run build && node scripts/reliability-table.mjs > /tmp/table.md
// The sweep is test/integration/create-faults.test.ts; it writes the table to $FAULT_SWEEP_TABLE.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-reliability-')), 'create-fault-sweep.md');
const t0 = Date.now();
const r = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', 'test/integration/create-faults.test.ts'], {
  cwd: root, env: { ...process.env, FAULT_SWEEP_TABLE: out }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8',
});
if (!fs.existsSync(out)) {
  process.stderr.write(`the sweep wrote no table (jest exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  process.exit(1);
}
const table = fs.readFileSync(out, 'utf8');
const rows = table.trim().split('\n').length - 2;
process.stdout.write(`Outcome of the full sweep (${rows} fault points, ${Math.round((Date.now() - t0) / 1000)} s, jest exit ${r.status}):\n\n${table}`);
fs.rmSync(path.dirname(out), { recursive: true, force: true });
process.exit(r.status ?? 1);

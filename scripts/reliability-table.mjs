#!/usr/bin/env node
// Runs one full fault sweep (every call point, no sampling) and prints its outcome table in markdown, the table
// docs/reliability.md carries. Usage: npm run build && node scripts/reliability-table.mjs [create|upgrade|configure]
// (create when omitted) > /tmp/table.md. The sweeps are test/integration/<command>-faults.test.ts; create's writes its
// table to $FAULT_SWEEP_TABLE, upgrade's and configure's (test/support/maintenance-sweep.ts) run in full with
// <COMMAND>_FAULT_SWEEP=full and write to $<COMMAND>_FAULT_SWEEP_TABLE.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sweeps = ['create', 'upgrade', 'configure'];
const command = process.argv[2] ?? 'create';
if (!sweeps.includes(command)) {
  process.stderr.write(`unknown sweep '${command}': valid are ${sweeps.join(', ')}\n`);
  process.exit(2);
}
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vicm-reliability-')), `${command}-fault-sweep.md`);
// create's sweep always runs in full; the maintenance sweeps sample their reads unless told otherwise.
const prefix = command === 'create' ? '' : `${command.toUpperCase()}_`;
const sweepEnv = { [`${prefix}FAULT_SWEEP_TABLE`]: out, ...(prefix ? { [`${prefix}FAULT_SWEEP`]: 'full' } : {}) };
const t0 = Date.now();
const r = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', `test/integration/${command}-faults.test.ts`], {
  cwd: root, env: { ...process.env, ...sweepEnv }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8',
});
if (!fs.existsSync(out)) {
  process.stderr.write(`the sweep wrote no table (jest exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  process.exit(1);
}
const table = fs.readFileSync(out, 'utf8');
const rows = table.trim().split('\n').length - 2;
process.stdout.write(`Outcome of the full ${command} sweep (${rows} fault points, ${Math.round((Date.now() - t0) / 1000)} s, jest exit ${r.status}):\n\n${table}`);
fs.rmSync(path.dirname(out), { recursive: true, force: true });
process.exit(r.status ?? 1);

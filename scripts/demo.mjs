#!/usr/bin/env node
// `npm run demo`: compiles demo/demo.ts (and what it imports from src/ and test/support/) into demo/out, then runs it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'demo');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const c = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
if (c.status !== 0) process.exit(c.status ?? 1);
// test/support/vcsim.ts imports ../vcsim/build.mjs, which tsc does not emit: link it into the output tree.
const link = path.join(dir, 'out', 'test', 'vcsim', 'build.mjs');
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.rmSync(link, { force: true });
fs.symlinkSync(path.join(root, 'test', 'vcsim', 'build.mjs'), link);
const r = spawnSync(process.execPath, [path.join(dir, 'out', 'demo', 'demo.js')], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);

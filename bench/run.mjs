#!/usr/bin/env node
// `npm run bench`: compiles the benchmarks (bench/*.ts and what they import from src/ and test/support/) into
// bench/out with bench/tsconfig.json, then runs bench/out/bench/main.js, which writes docs/benchmarks.md.
// Arguments are passed on (e.g. `npm run bench -- --runs 3 --only upload,startup,roundtrips --no-write`).
// `--main <name>` first runs bench/out/bench/<name>.js instead (e.g. `node bench/run.mjs --main server-list ...`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const out = path.join(here, 'out');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const c = spawnSync(process.execPath, [tsc, '-p', path.join(here, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
if (c.status !== 0) {
  console.error('bench: tsc failed');
  process.exit(c.status ?? 1);
}
// test/support/vcsim.ts imports ../vcsim/build.mjs, which tsc does not emit. Link it into the output tree; Node
// resolves the link, so the script still finds the repository (and its binary cache) from its real location.
const link = path.join(out, 'test', 'vcsim', 'build.mjs');
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.rmSync(link, { force: true });
fs.symlinkSync(path.join(root, 'test', 'vcsim', 'build.mjs'), link);

const args = process.argv.slice(2);
const script = args[0] === '--main' ? `${args.splice(0, 2)[1]}.js` : 'main.js';
const r = spawnSync(process.execPath, [path.join(out, 'bench', script), ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);

#!/usr/bin/env node
// Prepares a checkout for `npm test` / `npm run demo` (run as their pre-script; also `npm run setup`).
// Idempotent, and quick when everything is in place:
//   1. npm install, when node_modules is missing or older than package-lock.json
//   2. the Debian packages the tests need (golang-go, golang-github-vmware-govmomi-dev, xorriso, zsh, python3, util-linux, and docker.io when
//      there is no docker client): installed through apt when running as root, otherwise listed, and setup fails
//   3. the simulator test bed (test/vcsim), when its sources changed
//   4. the TypeScript build (npx tsc -p tsconfig.json) and the web console's bundle (scripts/build-console.mjs),
//      when a source is newer than the last successful build
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const say = (line) => console.log(`setup: ${line}`);
const fail = (line) => {
  console.error(`setup: ${line}`);
  process.exit(1);
};
const mtime = (p) => {
  try { return fs.statSync(p).mtimeMs; } catch { return undefined; }
};
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.error) return { ok: false, out: r.error.message };
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
};
const tail = (text, lines = 30) => text.split('\n').slice(-lines).join('\n');
let acted = false;

// 1. npm packages ------------------------------------------------------------------------------------------------------
{
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json'); // written by npm on every install
  const manifest = path.join(root, 'package.json');
  const stamp = mtime(installed);
  if (stamp === undefined || (mtime(lock) ?? 0) > stamp || (mtime(manifest) ?? 0) > stamp) {
    say('npm install');
    acted = true;
    const r = run('npm', ['install', '--no-audit', '--no-fund']);
    if (!r.ok) fail(`npm install failed:\n${tail(r.out)}`);
  }
}

// Loaded after npm install: it lives in the repository, but caches into node_modules.
const { buildVcsim, findGo, govmomiDir } = await import('../test/vcsim/build.mjs');

// 2. Debian packages ---------------------------------------------------------------------------------------------------
{
  const onPath = (cmd) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch { return false; }
  });
  const missing = [];
  if (!findGo()) missing.push('golang-go');
  if (!fs.existsSync(path.join(govmomiDir, 'simulator', 'simulator.go'))) missing.push('golang-github-vmware-govmomi-dev');
  if (!onPath('xorriso')) missing.push('xorriso');
  if (!onPath('docker')) missing.push('docker.io');
  if (!onPath('zsh')) missing.push('zsh'); // the zsh completion script is tested in zsh itself
  if (!onPath('python3')) missing.push('python3'); // its pty module gives the prompt tests a real terminal
  if (!onPath('script')) missing.push('util-linux'); // `script`: the colour and spinner tests' terminal
  // the console's end-to-end tests drive Debian's browser (playwright-core never downloads one): test/console/
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (missing.length) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      fail(`missing Debian packages; as root run:\n  apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    }
    say(`apt-get install ${missing.join(' ')}`);
    acted = true;
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = run('apt-get', ['update', '-qq'], { env });
    if (!update.ok) fail(`apt-get update failed:\n${tail(update.out)}`);
    const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
    if (!install.ok) fail(`apt-get install failed:\n${tail(install.out)}`);
  }
}

// 3. the simulator -----------------------------------------------------------------------------------------------------
try {
  buildVcsim({ log: (line) => { acted = true; say(line); } });
} catch (e) {
  fail(e.message);
}

// 4. TypeScript build --------------------------------------------------------------------------------------------------
{
  const stamp = path.join(root, 'node_modules', '.cache', 'vic-machine', 'tsc.stamp');
  const newest = (dir) => {
    let max = 0;
    const walk = (d) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, entry.name);
        if (entry.isDirectory()) walk(p);
        else max = Math.max(max, mtime(p) ?? 0);
      }
    };
    if (fs.existsSync(dir)) walk(dir);
    return max;
  };
  const inputs = Math.max(newest(path.join(root, 'src')), mtime(path.join(root, 'tsconfig.json')) ?? 0, mtime(path.join(root, 'package.json')) ?? 0);
  const built = mtime(stamp);
  if (built === undefined || inputs > built || !fs.existsSync(path.join(root, 'dist', 'console', 'app.js'))) {
    say('npx tsc -p tsconfig.json');
    acted = true;
    const before = Date.now();
    const r = run('npx', ['tsc', '-p', 'tsconfig.json']);
    if (!r.ok) fail(`the TypeScript build failed:\n${tail(r.out)}`);
    const c = run(process.execPath, [path.join(root, 'scripts', 'build-console.mjs')]);
    if (!c.ok) fail(`the console's build failed:\n${tail(c.out)}`);
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, '');
    fs.utimesSync(stamp, before / 1000, before / 1000); // sources saved during the build make the next run rebuild
  }
}

if (acted) say(`ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);

#!/usr/bin/env node
// Builds the testbed simulator (test/vcsim/*.go, GOPATH mode against Debian's govmomi) into
// node_modules/.cache/vic-machine/testbed/vcsim, only when the binary is missing or its inputs changed. Used by
// scripts/setup.mjs, test/support/global-setup.ts and test/support/vcsim.ts. Run directly, it prints the binary's
// path. VCSIM_BIN=<path> uses a prebuilt binary instead.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const GOPATH = '/usr/share/gocode';
export const govmomiDir = path.join(GOPATH, 'src', 'github.com', 'vmware', 'govmomi');
export const cacheDir = path.join(root, 'node_modules', '.cache', 'vic-machine', 'testbed');
export const binaryPath = path.join(cacheDir, 'vcsim');
const stampPath = path.join(cacheDir, 'vcsim.stamp');
/** Set once the binary is built (global setup), so that jest workers need not check again. */
export const BUILT_BINARY_ENV = 'VIC_TESTBED_VCSIM';
/** Prefix of the simulators' temporary directories (datastores) under os.tmpdir(), followed by the owner's pid. */
export const TMP_PREFIX = 'vic-vcsim-';

/** The go command: on PATH, or where Debian's golang-go puts it. */
export function findGo() {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/lib/go/bin', '/usr/local/go/bin']) {
    const candidate = path.join(dir, 'go');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch { /* next */ }
  }
  return undefined;
}

/** What the binary depends on: the Go sources (tests excluded), this script, and the installed simulator package. */
function inputsHash() {
  const h = crypto.createHash('sha256');
  for (const name of fs.readdirSync(here).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort()) {
    h.update(name).update('\0').update(fs.readFileSync(path.join(here, name))).update('\0');
  }
  h.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  try {
    h.update(String(fs.statSync(path.join(govmomiDir, 'simulator', 'simulator.go')).mtimeMs));
  } catch { /* reported by the build */ }
  return h.digest('hex');
}

export class VcsimBuildError extends Error {}

/**
 * Builds the simulator if needed and returns the binary's path. Fast (one hash of a few files) when up to date.
 * @param {{ log?: (line: string) => void }} [opts]
 */
export function buildVcsim(opts = {}) {
  if (process.env.VCSIM_BIN) {
    if (!fs.existsSync(process.env.VCSIM_BIN)) throw new VcsimBuildError(`VCSIM_BIN=${process.env.VCSIM_BIN} does not exist`);
    return process.env.VCSIM_BIN;
  }
  const hash = inputsHash();
  if (fs.existsSync(binaryPath) && fs.existsSync(stampPath) && fs.readFileSync(stampPath, 'utf8') === hash) return binaryPath;

  const go = findGo();
  if (!go) {
    throw new VcsimBuildError('cannot build the simulator: Go is not installed. Install the Debian packages golang-go and ' +
      'golang-github-vmware-govmomi-dev (as root: `npm run setup`, or apt-get install golang-go golang-github-vmware-govmomi-dev).');
  }
  if (!fs.existsSync(path.join(govmomiDir, 'simulator'))) {
    throw new VcsimBuildError(`cannot build the simulator: govmomi is not installed at ${govmomiDir}. Install the Debian package ` +
      'golang-github-vmware-govmomi-dev (as root: `npm run setup`, or apt-get install golang-github-vmware-govmomi-dev).');
  }
  opts.log?.('building the simulator (test/vcsim)');
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${binaryPath}.${process.pid}.tmp`;
  try {
    execFileSync(go, ['build', '-o', tmp, '.'], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GO111MODULE: 'off', GOPATH, GOFLAGS: '' },
    });
  } catch (e) {
    const err = /** @type {{ stderr?: Buffer, message: string }} */ (e);
    fs.rmSync(tmp, { force: true });
    throw new VcsimBuildError(`cannot build the simulator (test/vcsim): ${err.stderr?.toString().trim() || err.message}`);
  }
  fs.renameSync(tmp, binaryPath); // atomic: a concurrent build or a running test never sees half a binary
  fs.writeFileSync(stampPath, hash);
  return binaryPath;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(buildVcsim({ log: (l) => console.error(l) }));
  } catch (e) {
    console.error(/** @type {Error} */ (e).message);
    process.exit(1);
  }
}

// `npm ci` installs only from package-lock.json and refuses a lock that lacks a package some locked package names,
// optional platform packages included (it once failed with "Missing: @unrs/resolver-binding-* from lock file": an
// `npm install` elsewhere had left jest's resolver's platform packages out). Contributors and CI (.ci/run) use
// `npm ci`, so the lock must name every dependency of every package it holds, wherever npm resolves it.
import { describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface LockedPackage {
  name?: string;
  version?: string;
  dev?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as LockedPackage;

/** Node's lookup, as npm lays the tree out: the package's own node_modules, then each enclosing one up to the root. */
function resolves(from: string, name: string): boolean {
  let dir = from;
  for (;;) {
    if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const at = dir.lastIndexOf('node_modules/');
    dir = at <= 0 ? '' : dir.slice(0, at - 1);
  }
}

describe('package-lock.json', () => {
  test('is a lockfile (v2 or later) whose root matches package.json', () => {
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const top = lock.packages['']!;
    expect(top.dependencies ?? {}).toEqual(manifest.dependencies ?? {});
    expect(top.devDependencies ?? {}).toEqual(manifest.devDependencies ?? {});
  });

  test('names every dependency of every locked package, optional platform packages included', () => {
    const missing: string[] = [];
    for (const [where, pkg] of Object.entries(lock.packages)) {
      if (where.startsWith('node_modules/') === false && where !== '') continue; // links and workspaces: none here
      const wanted = new Set([
        ...Object.keys(pkg.dependencies ?? {}),
        ...Object.keys(pkg.optionalDependencies ?? {}),
        ...Object.keys(pkg.peerDependencies ?? {}).filter((n) => !pkg.peerDependenciesMeta?.[n]?.optional),
        ...(where === '' ? Object.keys(pkg.devDependencies ?? {}) : []),
      ]);
      for (const name of wanted) if (!resolves(where, name)) missing.push(`${name} (for ${where || 'the project'})`);
    }
    expect(missing).toEqual([]);
  });
});

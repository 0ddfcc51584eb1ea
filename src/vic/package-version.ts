// The tool's version: package.json's "version", read at run time from the package root (dist/<layer>/ and
// src/<layer>/ are both two levels below it). One small synchronous read; no JSON import, so nothing else is loaded.
// Here, below both front ends (the CLI's `version`, vic-machine-server's /version and metadata).
import { readFileSync } from 'node:fs';

/** Set by the single-executable build (scripts/build-sea.mjs), which has no package.json beside it. */
declare const VIC_MACHINE_EMBEDDED_VERSION: string | undefined;

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  if (typeof VIC_MACHINE_EMBEDDED_VERSION !== 'undefined') return (cached = VIC_MACHINE_EMBEDDED_VERSION);
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    cached = 'unknown';
  }
  return cached;
}

// The console's files, bundled at build time by esbuild (scripts/build-console.mjs) into dist/console/, read once
// when the server starts and served from memory with the console's security headers. Nothing is fetched from
// elsewhere: the page loads its script and style from this origin only (the Content-Security-Policy says so).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { embeddedFolder } from '../embedded-files.js';

/** dist/console/ of the package, from src/server/console/ (tests) and dist/server/console/ (the program) alike. */
export const BUNDLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.map': 'application/json',
};

/**
 * No inline script or style, nothing from another origin, no framing, no form posting elsewhere. `blob:` images are
 * not needed; downloads (the VCH certificate) are blob: URLs followed by a link, which CSP does not govern.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** The bundle's files by URL path (`/` is index.html); empty when the console was not built. */
export function loadBundle(dir = BUNDLE_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const built = dir === BUNDLE_DIR ? embeddedFolder('dist/console/') : undefined; // the single executable
  let names: string[];
  try {
    names = built ? [...built.keys()] : fs.readdirSync(dir);
  } catch {
    return files;
  }
  for (const name of names) {
    const ext = name.slice(name.lastIndexOf('.'));
    const type = TYPES[ext];
    if (!type || ext === '.map') continue;
    files.set(`/${name}`, { body: built?.get(name) ?? fs.readFileSync(`${dir}${name}`), type });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}

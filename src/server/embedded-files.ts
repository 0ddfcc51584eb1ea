// Files the server reads from its package folder at run time (1.5's API spec, the VCH model's extensions, the
// console's bundle), built into the single executable by scripts/build-sea.mjs, which has no package folder beside
// it. Keys are paths relative to the package root; values base64.

/** Set by the single-executable build only. */
declare const VIC_MACHINE_EMBEDDED_SERVER_FILES: Readonly<Record<string, string>> | undefined;

/** The built-in copy of a package file (path relative to the package root), or undefined outside the executable. */
export function embeddedFile(rel: string): Buffer | undefined {
  if (typeof VIC_MACHINE_EMBEDDED_SERVER_FILES === 'undefined') return undefined;
  const b64 = VIC_MACHINE_EMBEDDED_SERVER_FILES[rel];
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
}

/** The built-in files below a package folder ('dist/console/'), by name; undefined outside the executable. */
export function embeddedFolder(relDir: string): Map<string, Buffer> | undefined {
  if (typeof VIC_MACHINE_EMBEDDED_SERVER_FILES === 'undefined') return undefined;
  const files = new Map<string, Buffer>();
  for (const [rel, b64] of Object.entries(VIC_MACHINE_EMBEDDED_SERVER_FILES)) {
    if (rel.startsWith(relDir) && !rel.slice(relDir.length).includes('/')) files.set(rel.slice(relDir.length), Buffer.from(b64, 'base64'));
  }
  return files;
}

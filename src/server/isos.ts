// The ISOs this server installs from: appliance and bootstrap ISOs (*.iso whose name says which) in the ISO
// directories (--iso-directory / VIC_MACHINE_SERVER_ISO_DIR, else the working directory, then the package's), with
// the VIC version each carries. The installer's version (what ls and inspect compare VCHs with) is that of the first
// appliance.iso found, as the CLI finds it (src/vic/vch/status.ts installerVersion).
import fs from 'node:fs';
import path from 'node:path';
import { readIsoVersion, type IsoKind } from '../vic/iso/version.js';
import { installerVersion, type InstallerVersion } from '../vic/vch/status.js';

export interface OfferedIso {
  kind: IsoKind;
  /** the file name, e.g. bootstrap.iso: what a request names in `bootstrap-iso` */
  name: string;
  path: string;
  /** `v1.5.8-1-9489f63` */
  version: string;
}

function shortOf(v: { version: string; build?: string; commit?: string; raw: string }): string {
  return v.build && v.commit ? `${v.version}-${v.build}-${v.commit}` : v.raw.toLowerCase();
}

export async function offeredIsos(dirs: readonly string[]): Promise<OfferedIso[]> {
  const out: OfferedIso[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.iso')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const kind: IsoKind | undefined = /appliance/i.test(name) ? 'appliance' : /bootstrap/i.test(name) ? 'bootstrap' : undefined;
      if (!kind || seen.has(`${kind}/${name}`)) continue;
      try {
        const v = await readIsoVersion(path.join(dir, name), kind);
        seen.add(`${kind}/${name}`);
        out.push({ kind, name, path: path.join(dir, name), version: shortOf(v) });
      } catch {
        /* not a VIC ISO: not offered */
      }
    }
  }
  return out;
}

export function installerOf(dirs: readonly string[]): Promise<InstallerVersion> {
  return installerVersion(dirs);
}

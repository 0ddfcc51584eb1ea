// The datastore folders create made above a volume store's own folder (for `--volume-store
// LocalDS_0/test-volumes/foo:foo` on a datastore without `test-volumes`: `[LocalDS_0] test-volumes`), so that
// `delete --force` removes them and nothing an admin made. vic-machine 1.5 kept no such record and left them behind.
//
// Kept in an extraConfig key of this tool's own, outside `guestinfo.` on purpose: the guest can write guestinfo
// keys, and a record the appliance could change must not steer what delete removes. Upgrade and configure leave it
// alone (it is not configuration: the decoder's unknown keys), and delete checks each entry against the VCH's own
// volume stores before it removes anything, and removes a folder only when it is empty.

/**
 * extraConfig key: the folders as ds:// URLs (VIC's own spelling of a datastore path), each segment percent-encoded,
 * separated by ","; no quotes or brackets, which vSphere may escape in the .vmx.
 */
export const CREATED_FOLDERS_KEY = 'vic-machine.createdFolders';

export interface CreatedFolder {
  datastore: string;
  /** the folder's path on the datastore, no leading or trailing "/" */
  path: string;
}

const enc = (s: string) => encodeURIComponent(s).replace(/,/g, '%2C');

export function encodeCreatedFolders(folders: readonly CreatedFolder[]): Record<string, string> {
  if (!folders.length) return {};
  return { [CREATED_FOLDERS_KEY]: folders.map((f) => `ds://${enc(f.datastore)}/${f.path.split('/').map(enc).join('/')}`).join(',') };
}

/** The record of an appliance VM's extraConfig; entries that are not ds:// folder URLs are ignored. */
export function decodeCreatedFolders(extraConfig: Readonly<Record<string, string>>): CreatedFolder[] {
  const raw = extraConfig[CREATED_FOLDERS_KEY];
  if (!raw) return [];
  const out: CreatedFolder[] = [];
  for (const entry of raw.split(',')) {
    const m = /^ds:\/\/([^/]+)\/(.+)$/.exec(entry.trim());
    if (!m) continue;
    try {
      const segments = m[2]!.split('/').filter((x) => x !== '').map(decodeURIComponent);
      if (!segments.length || segments.some((x) => x === '..' || x === '.' || x.includes('/'))) continue;
      out.push({ datastore: decodeURIComponent(m[1]!), path: segments.join('/') });
    } catch {
      // not percent-encoding: not ours
    }
  }
  return out;
}

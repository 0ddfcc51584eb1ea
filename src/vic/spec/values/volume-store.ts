// `--volume-store <location>:<label>`: where containers' volumes of that label go.
//
// Accepted spellings (the label follows the LAST colon, as in vic-machine 1.5):
//   LocalDS_0/volumes:default, ds://LocalDS_0/volumes:default, [LocalDS_0] volumes:default   (one value)
//   LocalDS_0:default                            the datastore's VIC folder
//   nfs://host/path?uid=1000&gid=1000:shared     an NFS export with mount options as query parameters
// The datastore part is a DatastoreLocation (./datastore-location.ts). The canonical text is
// `ds://datastore[/path]:label` or `nfs://host/path[?options]:label`.
import { goURL, goURLString, parseGoURL, toGoURL } from '../../config/goutil.js';
import type { GoURL } from '../../config/model.js';
import {
  datastoreLocationOfUrl, formatDatastoreLocation, parseDatastoreLocation, volumeStoreDatastoreUrl, type DatastoreLocation,
} from './datastore-location.js';
import { InvalidValueError } from './value-error.js';

export interface NfsTarget {
  /** host[:port], as written */
  readonly host: string;
  /** the export's path, unescaped, with its leading "/" */
  readonly path: string;
  /** the path as written when that differs from Go's default escaping of it (Go's url.URL RawPath), else "" */
  readonly rawPath: string;
  /** mount options as written after "?", e.g. `uid=1000&gid=1000` ("" for none) */
  readonly query: string;
  /** userinfo before "@", if any (nfs://user@host/...) */
  readonly user?: string;
}

export type VolumeStoreTarget =
  | { readonly kind: 'datastore'; readonly location: DatastoreLocation }
  | { readonly kind: 'nfs'; readonly nfs: NfsTarget };

export interface VolumeStore {
  readonly label: string;
  readonly target: VolumeStoreTarget;
}

export const VOLUME_STORE_FORMS = '<datastore>[/<path>]:<label> (also ds://<datastore>/<path>:<label> or "[<datastore>] <path>:<label>") or ' +
  'nfs://<host>/<path>[?<mount options>]:<label>, e.g. datastore1/volumes:default';

/** What 1.5's CheckUnsupportedChars refuses in a label (KB 2046088, with "/" and ":"). */
const LABEL_UNSUPPORTED = /[%&*$#@!\\/:?"<>;'|]/;

function nfsTarget(text: string, whole: string): NfsTarget {
  let u;
  try {
    u = parseGoURL(text);
  } catch (e) {
    throw new InvalidValueError(`"${whole}" is not a URL: ${(e as Error).message}`, VOLUME_STORE_FORMS);
  }
  if (!u.host) throw new InvalidValueError(`volume store target (${text}) is missing the host field`, 'nfs://<host>/<share point path>?<mount options>:<label>');
  if (!u.path || u.path === '/') throw new InvalidValueError(`volume store target (${text}) is missing the path field`, 'nfs://<host>/<share point path>?<mount options>:<label>');
  if (u.fragment) throw new InvalidValueError(`"${whole}" has a "#" fragment`, VOLUME_STORE_FORMS);
  return { host: u.host, path: u.path, rawPath: u.rawPath, query: u.rawQuery, ...(u.user !== undefined ? { user: u.user } : {}) };
}

/** Parses one `--volume-store` value; throws InvalidValueError. */
export function parseVolumeStore(text: string): VolumeStore {
  const i = text.lastIndexOf(':');
  const target = i < 0 ? '' : text.slice(0, i).trim();
  const label = i < 0 ? '' : text.slice(i + 1).trim();
  if (!label || !target) throw new InvalidValueError(`"${text}" is not <location>:<label>`, VOLUME_STORE_FORMS);
  const bad = LABEL_UNSUPPORTED.exec(label);
  if (bad) {
    // "ds://datastore" alone has its last colon in the scheme: say that the label is missing, not that it is odd
    if (label.startsWith('//')) throw new InvalidValueError(`"${text}" has no label`, VOLUME_STORE_FORMS);
    throw new InvalidValueError(`unsupported character "${bad[0]}" in label "${label}"`, `${VOLUME_STORE_FORMS}; a label of alphanumerics, space and - _ ( ) .`);
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(target);
  if (scheme && scheme[1]!.toLowerCase() === 'nfs') return { label, target: { kind: 'nfs', nfs: nfsTarget(target, text) } };
  if (scheme && scheme[1]!.toLowerCase() !== 'ds') {
    throw new InvalidValueError(`"${scheme[1]}://" is neither a datastore nor an NFS target`, VOLUME_STORE_FORMS);
  }
  return { label, target: { kind: 'datastore', location: parseDatastoreLocation(target) } };
}

/** The fields url.Parse made of the target: vic-machine 1.5 stores that URL as it is. */
function nfsGoUrl(n: NfsTarget): GoURL & { user?: string } {
  return { ...goURL({ scheme: 'nfs', host: n.host, path: n.path, rawPath: n.rawPath, rawQuery: n.query }), ...(n.user !== undefined ? { user: n.user } : {}) };
}

/** The canonical text: `ds://datastore[/path]:label` or `nfs://host/path[?query]:label`. */
export function formatVolumeStore(v: VolumeStore): string {
  return `${formatVolumeStoreTarget(v.target)}:${v.label}`;
}

/** The canonical text of where a store is, without its label: `ds://datastore[/path]` or `nfs://host/path[?query]`. */
export function formatVolumeStoreTarget(t: VolumeStoreTarget): string {
  if (t.kind === 'nfs') return nfsUrlText(t.nfs);
  return formatDatastoreLocation(t.location) || 'ds://';
}

/**
 * Where the URL create wrote for a store points (the inverse of volumeStoreUrl); undefined for a scheme VIC never
 * writes. The URL holds no userinfo (VIC's configuration keeps none), so neither does the target.
 */
export function volumeStoreTargetOfUrl(u: GoURL): VolumeStoreTarget | undefined {
  if (u.scheme === 'ds') return { kind: 'datastore', location: datastoreLocationOfUrl(u) };
  if (u.scheme === 'nfs') return { kind: 'nfs', nfs: { host: u.host, path: u.path, rawPath: u.rawPath, query: u.rawQuery } };
  return undefined;
}

/** The URL create writes for the store (`storage/VolumeLocations|<label>`). */
export function volumeStoreUrl(v: VolumeStore, defaultDatastore?: string): GoURL {
  if (v.target.kind === 'nfs') return toGoURL(nfsGoUrl(v.target.nfs));
  return volumeStoreDatastoreUrl(v.target.location, defaultDatastore);
}

/** The NFS mount options as name → value (`uid=1000&gid=1000` → { uid: '1000', gid: '1000' }). */
export function nfsOptions(n: NfsTarget): Record<string, string> {
  const out: Record<string, string> = {};
  new URLSearchParams(n.query).forEach((v, k) => { out[k] = v; });
  return out;
}

/** The NFS target's URL as text (without the label). */
export function nfsUrlText(n: NfsTarget): string {
  return goURLString(nfsGoUrl(n));
}

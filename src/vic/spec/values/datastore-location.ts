// A place on a datastore: `--image-store`, and the datastore part of `--volume-store`.
//
// Accepted spellings (all the same value):
//   LocalDS_0/images            vic-machine 1.5's form: the datastore is the first path segment
//   ds://LocalDS_0/images       1.5's URL form (the scheme in any case)
//   [LocalDS_0] images          the vSphere Client's form, which admins copy (1.5 refused it: "datastore not found")
//   LocalDS_0/img%20store       percent escapes, decoded (1.5 refused "%")
//   LocalDS_0/images/           slashes around the path are dropped
// Names and folders may contain spaces; what VMware's KB 2046088 lists as unsupported (% & * $ # @ ! \ ? " < > ; ' |)
// is refused, as 1.5 does, so that a `?` or `#` can never turn into a URL query or fragment in the configuration.
// The canonical text is `ds://<datastore>[/<path>]`: the `ds://` prefix keeps a name starting with `[` unambiguous.
import { goEscape, goUnescape, goURL } from '../../config/goutil.js';
import type { GoURL } from '../../config/model.js';
import { InvalidValueError } from './value-error.js';

export interface DatastoreLocation {
  /** the datastore's name; "" when none was named (create then uses the only or default datastore) */
  readonly datastore: string;
  /** the folder on it, without leading or trailing slashes; "" for none */
  readonly path: string;
}

export const DATASTORE_LOCATION_FORMS = 'datastore[/path], ds://datastore[/path] or "[datastore] path", e.g. ds://datastore1/vch-images';

/** The characters VMware's KB 2046088 (and vic-machine 1.5's CheckUnsupportedCharsDatastore) refuse in datastore paths. */
const UNSUPPORTED = /[%&*$#@!\\?"<>;'|]/;

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

function checkCharacters(decoded: string, text: string): void {
  const bad = UNSUPPORTED.exec(decoded);
  if (bad) {
    throw new InvalidValueError(`unsupported character "${bad[0]}" in "${text}"`,
      `${DATASTORE_LOCATION_FORMS}; allowed characters are alphanumeric, space and - _ ( ) / : , . [ ]`);
  }
}

/** Parses any accepted spelling; throws InvalidValueError. "" (or `ds://`) is "no datastore named". */
export function parseDatastoreLocation(text: string): DatastoreLocation {
  const t = text.trim();
  const bracket = /^\[([^\]]*)\]\s*(.*)$/s.exec(t);
  if (bracket) {
    const datastore = bracket[1]!.trim();
    const path = trimSlashes(bracket[2]!.trim());
    if (!datastore) throw new InvalidValueError(`"${text}" names no datastore between the brackets`, DATASTORE_LOCATION_FORMS);
    // vSphere keeps a "/" in an object's name as %2f, so a datastore name never holds one
    if (datastore.includes('/')) throw new InvalidValueError(`datastore name "${datastore}" in "${text}" contains "/"`, DATASTORE_LOCATION_FORMS);
    checkCharacters(datastore + path, text);
    return { datastore, path };
  }
  let rest = t;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(t);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'ds') {
      throw new InvalidValueError(`bad scheme "${scheme[1]}" provided for datastore`, DATASTORE_LOCATION_FORMS);
    }
    rest = t.slice(scheme[0].length);
  }
  let decoded: string;
  try {
    decoded = goUnescape(rest, 'path');
  } catch {
    throw new InvalidValueError(`"${text}" has a "%" that is not a percent escape such as %20`, DATASTORE_LOCATION_FORMS);
  }
  checkCharacters(decoded, text);
  decoded = trimSlashes(decoded);
  const i = decoded.indexOf('/');
  return i < 0 ? { datastore: decoded, path: '' } : { datastore: decoded.slice(0, i), path: trimSlashes(decoded.slice(i + 1)) };
}

/** The canonical text: `ds://datastore[/path]`, or "" when no datastore is named. */
export function formatDatastoreLocation(v: DatastoreLocation): string {
  if (!v.datastore) return '';
  return v.path ? `ds://${v.datastore}/${v.path}` : `ds://${v.datastore}`;
}

export function sameDatastoreLocation(a: DatastoreLocation, b: DatastoreLocation): boolean {
  return a.datastore === b.datastore && a.path === b.path;
}

/** `[datastore] path`, the vSphere form (datastore paths in the API, the vSphere Client). */
export function datastorePath(datastore: string, path: string): string {
  return path ? `[${datastore}] ${path}` : `[${datastore}]`;
}

/**
 * The URL's RawPath as vic-machine 1.5 leaves it. Its datastoreHelper runs url.Parse on `datastore/path` (after
 * unescaping) and then replaces Host and Path, but not RawPath: Go sets RawPath to the parsed text whenever that text
 * differs from the default escaping of its path, i.e. when it holds a space, parentheses or another character Go
 * escapes in paths. So `LocalDS_0/vol dir` keeps RawPath `LocalDS_0/vol dir`; `LocalDS_0/vols` has none.
 */
function rawPathOf(v: DatastoreLocation): string {
  if (!v.datastore) return '';
  const text = v.path ? `${v.datastore}/${v.path}` : v.datastore;
  return goEscape(text, 'path') === text ? '' : text;
}

function hostOf(v: DatastoreLocation, defaultDatastore: string | undefined): string {
  const host = v.datastore || defaultDatastore;
  if (!host) throw new Error('datastore empty');
  return host;
}

/** The image store's URL as create writes it (`storage/image_stores|0`): ds://datastore/path. */
export function imageStoreUrl(v: DatastoreLocation, defaultDatastore?: string): GoURL {
  return goURL({ scheme: 'ds', host: hostOf(v, defaultDatastore), path: v.path, rawPath: rawPathOf(v) });
}

/**
 * The place a datastore URL of a VCH's configuration names, the inverse of imageStoreUrl and volumeStoreDatastoreUrl:
 * `ds://<datastore>/<path>` (image stores) or `ds://<datastore>/[<datastore>] <path>` (volume stores, vSphere's form).
 */
export function datastoreLocationOfUrl(u: Pick<GoURL, 'host' | 'path'>): DatastoreLocation {
  const path = u.path.replace(/^\/+/, '');
  // the vSphere form names the URL's own datastore (so that a folder called "[x] y" stays a folder)
  const vsphere = `[${u.host}]`;
  if (path.startsWith(vsphere)) return { datastore: u.host, path: trimSlashes(path.slice(vsphere.length).trim()) };
  return { datastore: u.host, path: trimSlashes(path) };
}

/** The folder of a volume store with no path of its own (constants.StorageParentDir). */
export const DEFAULT_VOLUME_STORE_PATH = 'VIC';

/**
 * A datastore volume store's URL as create writes it (`storage/VolumeLocations|<label>`): host the datastore, Path
 * the vSphere form `[datastore] path` (1.5's Dispatcher.createVolumeStores; `VIC` when no path was given).
 */
export function volumeStoreDatastoreUrl(v: DatastoreLocation, defaultDatastore?: string): GoURL {
  const host = hostOf(v, defaultDatastore);
  return goURL({ scheme: 'ds', host, path: datastorePath(host, v.path || DEFAULT_VOLUME_STORE_PATH), rawPath: rawPathOf(v) });
}

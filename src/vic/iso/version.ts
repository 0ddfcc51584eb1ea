/**
 * ISO versions (vic-machine 1.5 `cmd/vic-machine/common/images.go`, §4.7).
 *
 * The VIC build writes the ISO 9660 Primary Volume Descriptor's Publisher Identifier as
 * `VMware Inc. <tag>-<BUILD_NUMBER>-<short commit>`. The PVD is sector 16 (byte 32768) and the publisher field is
 * at offset 318 in it (byte 33086), 128 bytes, space padded. We read only the PVD header bytes we need (446 bytes,
 * never the whole file), check the `CD001` signature, and take the last whitespace-separated token as the version.
 */
import { open, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const ISO_SECTOR_SIZE = 2048;
export const PVD_OFFSET = 16 * ISO_SECTOR_SIZE; // 32768
export const PUBLISHER_OFFSET_IN_PVD = 318;
export const PUBLISHER_OFFSET = PVD_OFFSET + PUBLISHER_OFFSET_IN_PVD; // 33086
export const PUBLISHER_LENGTH = 128;
/** Smallest file that can hold a PVD: 17 sectors. */
export const MIN_ISO_SIZE = PVD_OFFSET + ISO_SECTOR_SIZE; // 34816

export type IsoKind = 'appliance' | 'bootstrap';
export type IsoFlag = '--appliance-iso' | '--bootstrap-iso';

export function flagFor(kind: IsoKind): IsoFlag {
  return kind === 'appliance' ? '--appliance-iso' : '--bootstrap-iso';
}

export type IsoErrorCode = 'missing' | 'unreadable' | 'not-iso' | 'no-version';

export class IsoError extends Error {
  override readonly name = 'IsoError';
  readonly code: IsoErrorCode;
  readonly flag: IsoFlag;
  readonly path: string;
  constructor(code: IsoErrorCode, flag: IsoFlag, path: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.flag = flag;
    this.path = path;
  }
}

export interface IsoVersion {
  /** Publisher field, trimmed (`VMware Inc. v1.5.8-1-9489f63`). */
  publisher: string;
  /**
   * Last token of the publisher, as stored: what vic-machine calls the ISO version (`v1.5.8-1-9489f63`). ISO 9660
   * a-characters are upper case, so images made by xorriso/mkisofs say `V1.5.8-1-9489F63`; compare case-insensitively.
   */
  raw: string;
  /** The release tag, lower case (`v1.5.8`, `v1.5.0-rc3`). */
  version: string;
  /** Build number (`1`), when the token has the `<tag>-<build>-<commit>` form. */
  build?: string;
  /** Short git commit, lower case (`9489f63`), when the token has the `<tag>-<build>-<commit>` form. */
  commit?: string;
}

/**
 * Parse a publisher string. Returns undefined when it carries no version (empty, or the last token does not start
 * like a version, e.g. `v1.5` / `1.5.8`).
 */
export function parsePublisherVersion(publisher: string): IsoVersion | undefined {
  const trimmed = publisher.replace(/\0/g, ' ').trim();
  const tokens = trimmed.split(/\s+/).filter((t) => t.length > 0);
  const raw = tokens.at(-1);
  if (!raw || !/^v?\d+\.\d+/i.test(raw)) return undefined;
  const m = /^(.+)-(\d+)-([0-9a-f]{7,40})$/i.exec(raw);
  if (m) return { publisher: trimmed, raw, version: m[1]!.toLowerCase(), build: m[2]!, commit: m[3]!.toLowerCase() };
  return { publisher: trimmed, raw, version: raw.toLowerCase() };
}

/**
 * Read the version of the ISO at `path`. Errors (`IsoError`) name the flag: file missing, unreadable, not an
 * ISO 9660 image (too small or no `CD001` primary volume descriptor at sector 16), or no version in the publisher.
 */
export async function readIsoVersion(path: string, kind: IsoKind = 'appliance'): Promise<IsoVersion> {
  const flag = flagFor(kind);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IsoError('missing', flag, path, `${flag}: ISO file "${path}" does not exist`, err);
    throw new IsoError('unreadable', flag, path, `${flag}: failed to open iso file "${path}": ${code === 'EACCES' ? 'permission denied' : (err as Error).message}`, err);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new IsoError('unreadable', flag, path, `${flag}: "${path}" is a directory, not an ISO file`);
    if (st.size < MIN_ISO_SIZE) {
      throw new IsoError('not-iso', flag, path, `${flag}: "${path}" is not an ISO 9660 image (${st.size} bytes, too small to hold a primary volume descriptor)`);
    }
    const want = PUBLISHER_OFFSET + PUBLISHER_LENGTH - PVD_OFFSET; // 446 bytes: PVD header through the publisher
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, PVD_OFFSET + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got < want) throw new IsoError('not-iso', flag, path, `${flag}: failed to read iso version in file "${path}": short read`);
    if (buf[0] !== 1 || buf.toString('latin1', 1, 6) !== 'CD001') {
      throw new IsoError('not-iso', flag, path, `${flag}: "${path}" is not an ISO 9660 image (no primary volume descriptor at sector 16)`);
    }
    const publisher = buf.toString('latin1', PUBLISHER_OFFSET_IN_PVD, PUBLISHER_OFFSET_IN_PVD + PUBLISHER_LENGTH);
    const v = parsePublisherVersion(publisher);
    if (!v) {
      const shown = publisher.replace(/\0/g, ' ').trim();
      throw new IsoError('no-version', flag, path,
        shown ? `${flag}: version is not set in iso file "${path}" (publisher "${shown}" carries no version)` : `${flag}: version is not set in iso file "${path}" (empty publisher field)`);
    }
    return v;
  } catch (err) {
    if (err instanceof IsoError) throw err;
    throw new IsoError('unreadable', flag, path, `${flag}: failed to read iso version in file "${path}": ${(err as Error).message}`, err);
  } finally {
    await fh.close();
  }
}

/**
 * vic-machine's check: compare `<tag>-<build>` (everything before the last `-`) of the ISO version and the installer
 * version, case-insensitively (`v1.5.8-1-9489f63` matches `v1.5.8-1-abcdef0`).
 */
export function isoVersionMatchesInstaller(isoRaw: string, installerShortVersion: string): boolean {
  const cut = (s: string): string => (s.includes('-') ? s.slice(0, s.lastIndexOf('-')) : '').toLowerCase();
  return cut(isoRaw) === cut(installerShortVersion);
}

/** The original's mismatch message (§3.1); an error, or a warning with `--force`. */
export function isoVersionMismatchMessage(path: string, isoRaw: string, installerShortVersion: string): string {
  return `iso file "${path}" version "${isoRaw.toLowerCase()}" inconsistent with installer version "${installerShortVersion}". Specify --force to force create. `;
}

/** Datastore file name for an uploaded ISO: `<iso version>-appliance.iso`. */
export function isoDatastoreName(isoRaw: string, kind: IsoKind): string {
  return `${isoRaw}-${kind}.iso`;
}

export interface LocateIsoOptions {
  kind: IsoKind;
  /** `--appliance-iso` / `--bootstrap-iso` value; default `appliance.iso` / `bootstrap.iso`. */
  given?: string;
  cwd?: string;
  /** Directory of the installer; default the directory of the running script (`process.argv[1]`). */
  installerDir?: string;
}

export interface LocatedIso {
  path: string;
  /** Where it was found. */
  foundIn: 'given' | 'cwd' | 'installer-dir';
  /** Every path tried, in order. */
  tried: string[];
}

/** Default installer directory: where the running entry script lives. */
export function defaultInstallerDir(): string {
  const entry = process.argv[1];
  return entry ? dirname(resolve(entry)) : process.cwd();
}

/**
 * Find an ISO as vic-machine does (§2.1 step 6, §4.7): the given path (absolute, or relative to the working
 * directory), else the same relative path next to the installer. Without a flag the name is `appliance.iso` /
 * `bootstrap.iso`. Throws `IsoError('missing')` naming the flag and listing the places tried.
 */
export async function locateIso(options: LocateIsoOptions): Promise<LocatedIso> {
  const flag = flagFor(options.kind);
  const name = options.given && options.given.length > 0 ? options.given : `${options.kind}.iso`;
  const cwd = options.cwd ?? process.cwd();
  const candidates: Array<[string, LocatedIso['foundIn']]> = isAbsolute(name)
    ? [[name, 'given']]
    : [
        [resolve(cwd, name), options.given ? 'given' : 'cwd'],
        [join(options.installerDir ?? defaultInstallerDir(), name), 'installer-dir'],
      ];
  const tried: string[] = [];
  for (const [p, foundIn] of candidates) {
    if (tried.includes(p)) continue;
    tried.push(p);
    try {
      const st = await stat(p);
      if (st.isFile()) return { path: p, foundIn, tried };
    } catch {
      /* try next */
    }
  }
  const hint = options.given ? '' : `; give its path with ${flag}`;
  throw new IsoError('missing', flag, name,
    `${flag}: unable to locate ${name} in the current or installer directory (tried ${tried.join(', ')})${hint}`);
}

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fsPromises from 'node:fs/promises';
import {
  IsoError,
  PUBLISHER_OFFSET,
  isoDatastoreName,
  isoVersionMatchesInstaller,
  isoVersionMismatchMessage,
  locateIso,
  parsePublisherVersion,
  readIsoVersion,
} from '../../../src/vic/iso/index.js';
import { SMALL_ISO_SIZE, makeIsoWithXorriso, makeSparseFile, writeTestIso, xorrisoAvailable } from '../../support/iso-fixture.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'iso-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parsePublisherVersion', () => {
  test('VIC build publisher', () => {
    expect(parsePublisherVersion('VMware Inc. v1.5.8-1-9489f63')).toEqual({
      publisher: 'VMware Inc. v1.5.8-1-9489f63',
      raw: 'v1.5.8-1-9489f63',
      version: 'v1.5.8',
      build: '1',
      commit: '9489f63',
    });
  });
  test('release candidates keep their tag', () => {
    expect(parsePublisherVersion('VMware Inc. v1.5.0-rc3-18500-ABCDEF0')).toMatchObject({ version: 'v1.5.0-rc3', build: '18500', commit: 'abcdef0' });
  });
  test('padding and NULs are ignored', () => {
    expect(parsePublisherVersion(`VMware Inc. v1.5.6-99999-9489f63${' '.repeat(90)}\0\0`)?.raw).toBe('v1.5.6-99999-9489f63');
  });
  test('bare version without build/commit', () => {
    expect(parsePublisherVersion('v1.5.8')).toEqual({ publisher: 'v1.5.8', raw: 'v1.5.8', version: 'v1.5.8' });
  });
  test('no version', () => {
    expect(parsePublisherVersion('')).toBeUndefined();
    expect(parsePublisherVersion('   ')).toBeUndefined();
    expect(parsePublisherVersion('VMware Inc.')).toBeUndefined();
  });
});

describe('readIsoVersion', () => {
  test('reads the publisher of a hand-made 34,816-byte ISO', async () => {
    const p = await writeTestIso(join(dir, 'appliance.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    expect((await stat(p)).size).toBe(SMALL_ISO_SIZE);
    expect(await readIsoVersion(p, 'appliance')).toMatchObject({ version: 'v1.5.8', build: '1', commit: '9489f63', raw: 'v1.5.8-1-9489f63' });
  });

  test('publisher is at byte 33086', async () => {
    const p = await writeTestIso(join(dir, 'offset.iso'), { publisher: 'VMware Inc. v1.5.6-99999-9489f63' });
    const buf = await fsPromises.readFile(p);
    expect(buf.toString('latin1', PUBLISHER_OFFSET, PUBLISHER_OFFSET + 32)).toBe('VMware Inc. v1.5.6-99999-9489f63');
  });

  test('reads only the header of a big sparse ISO (never the whole file)', async () => {
    const p = await writeTestIso(join(dir, 'big.iso'), { publisher: 'VMware Inc. v1.5.8-2-abcdef1', sizeBytes: 8 * 1024 ** 3 });
    const st = await stat(p);
    expect(st.size).toBe(8 * 1024 ** 3);
    expect(st.blocks * 512).toBeLessThan(1024 * 1024); // sparse
    const t0 = performance.now();
    await expect(readIsoVersion(p, 'bootstrap')).resolves.toMatchObject({ version: 'v1.5.8', build: '2' });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test('a real ISO made by xorriso', async () => {
    if (!(await xorrisoAvailable())) {
      console.log('xorriso not installed: skipping the xorriso-made ISO check');
      return;
    }
    const p = await makeIsoWithXorriso(join(dir, 'xorriso.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    // mkisofs stores a-characters in upper case; the parsed fields are normalised, `raw` is kept as stored.
    expect(await readIsoVersion(p, 'bootstrap')).toMatchObject({ version: 'v1.5.8', build: '1', commit: '9489f63', raw: 'V1.5.8-1-9489F63' });
  });

  test('missing file names the flag', async () => {
    const p = join(dir, 'nope.iso');
    await expect(readIsoVersion(p, 'appliance')).rejects.toMatchObject({ code: 'missing', flag: '--appliance-iso' });
    await expect(readIsoVersion(p, 'bootstrap')).rejects.toThrow(/^--bootstrap-iso: ISO file ".*nope.iso" does not exist$/);
  });

  test('not an ISO: too small', async () => {
    const p = join(dir, 'small.iso');
    await writeFile(p, 'hello');
    const err = await readIsoVersion(p, 'appliance').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsoError);
    expect(err).toMatchObject({ code: 'not-iso', flag: '--appliance-iso' });
    expect((err as Error).message).toMatch(/is not an ISO 9660 image/);
  });

  test('not an ISO: big enough but no CD001 descriptor', async () => {
    const p = await makeSparseFile(join(dir, 'zeros.iso'), 10 * 1024 * 1024);
    await expect(readIsoVersion(p, 'bootstrap')).rejects.toMatchObject({ code: 'not-iso', flag: '--bootstrap-iso' });
    const q = await writeTestIso(join(dir, 'badsig.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63', badSignature: true });
    await expect(readIsoVersion(q, 'bootstrap')).rejects.toThrow(/no primary volume descriptor at sector 16/);
  });

  test('no version in the publisher', async () => {
    const p = await writeTestIso(join(dir, 'noversion.iso'), { publisher: '' });
    await expect(readIsoVersion(p, 'appliance')).rejects.toMatchObject({ code: 'no-version', flag: '--appliance-iso' });
    await expect(readIsoVersion(p, 'appliance')).rejects.toThrow(/version is not set in iso file .* \(empty publisher field\)/);
    const q = await writeTestIso(join(dir, 'vendoronly.iso'), { publisher: 'VMware Inc.' });
    await expect(readIsoVersion(q, 'bootstrap')).rejects.toThrow(/publisher "VMware Inc." carries no version/);
  });

  test('a directory is reported as unreadable', async () => {
    const d = join(dir, 'adir.iso');
    await mkdir(d, { recursive: true });
    await expect(readIsoVersion(d, 'appliance')).rejects.toMatchObject({ code: 'unreadable', flag: '--appliance-iso' });
  });

  test('permission denied is reported as unreadable', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const p = await writeTestIso(join(dir, 'locked.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await chmod(p, 0o000);
    await expect(readIsoVersion(p, 'appliance')).rejects.toMatchObject({ code: 'unreadable' });
    await chmod(p, 0o644);
  });
});

describe('version check and names', () => {
  test('compares <tag>-<build>, case-insensitively', () => {
    expect(isoVersionMatchesInstaller('v1.5.8-1-9489f63', 'v1.5.8-1-abcdef0')).toBe(true);
    expect(isoVersionMatchesInstaller('V1.5.8-1-9489F63', 'v1.5.8-1-9489f63')).toBe(true);
    expect(isoVersionMatchesInstaller('v1.5.8-2-9489f63', 'v1.5.8-1-9489f63')).toBe(false);
    expect(isoVersionMatchesInstaller('v1.5.6-99999-9489f63', 'v1.5.8-1-9489f63')).toBe(false);
  });
  test('mismatch message and datastore names', () => {
    expect(isoVersionMismatchMessage('/x/appliance.iso', 'V1.5.6-1-AAA', 'v1.5.8-1-9489f63')).toBe(
      'iso file "/x/appliance.iso" version "v1.5.6-1-aaa" inconsistent with installer version "v1.5.8-1-9489f63". Specify --force to force create. ',
    );
    expect(isoDatastoreName('v1.5.8-1-9489f63', 'appliance')).toBe('v1.5.8-1-9489f63-appliance.iso');
    expect(isoDatastoreName('v1.5.8-1-9489f63', 'bootstrap')).toBe('v1.5.8-1-9489f63-bootstrap.iso');
  });
});

describe('locateIso', () => {
  test('default name in the working directory first, then next to the installer', async () => {
    const cwd = join(dir, 'cwd');
    const inst = join(dir, 'installer');
    await writeTestIso(join(inst, 'appliance.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await writeTestIso(join(inst, 'bootstrap.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await writeTestIso(join(cwd, 'bootstrap.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await expect(locateIso({ kind: 'appliance', cwd, installerDir: inst })).resolves.toMatchObject({ path: join(inst, 'appliance.iso'), foundIn: 'installer-dir' });
    await expect(locateIso({ kind: 'bootstrap', cwd, installerDir: inst })).resolves.toMatchObject({ path: join(cwd, 'bootstrap.iso'), foundIn: 'cwd' });
  });

  test('a relative flag value also falls back to the installer directory', async () => {
    const inst = join(dir, 'installer2');
    await writeTestIso(join(inst, 'isos', 'custom.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await expect(locateIso({ kind: 'appliance', given: 'isos/custom.iso', cwd: join(dir, 'elsewhere'), installerDir: inst })).resolves.toMatchObject({
      path: join(inst, 'isos', 'custom.iso'),
      foundIn: 'installer-dir',
    });
  });

  test('absolute path is used as is', async () => {
    const p = await writeTestIso(join(dir, 'abs', 'a.iso'), { publisher: 'VMware Inc. v1.5.8-1-9489f63' });
    await expect(locateIso({ kind: 'appliance', given: p, installerDir: '/nonexistent' })).resolves.toMatchObject({ path: p, foundIn: 'given' });
  });

  test('missing: names the flag and the places tried', async () => {
    const cwd = join(dir, 'empty-cwd');
    const err = (await locateIso({ kind: 'bootstrap', cwd, installerDir: join(dir, 'empty-inst') }).catch((e: unknown) => e)) as IsoError;
    expect(err).toBeInstanceOf(IsoError);
    expect(err.code).toBe('missing');
    expect(err.flag).toBe('--bootstrap-iso');
    expect(err.message).toContain('unable to locate bootstrap.iso in the current or installer directory');
    expect(err.message).toContain(join(cwd, 'bootstrap.iso'));
    expect(err.message).toContain('give its path with --bootstrap-iso');
  });
});

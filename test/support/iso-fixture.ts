/**
 * Test ISOs.
 *
 *  - `writeTestIso`: writes an ISO 9660 header by hand — system area (16 zero sectors) + a Primary Volume Descriptor
 *    with the given publisher at byte 33086 — into a 34,816-byte file (what the original's harness used, §11.1).
 *    With `sizeBytes`, the file is extended *sparsely* (no disk blocks used) and a volume descriptor set terminator
 *    is added at sector 17, so the same call makes big "ISOs" for upload tests.
 *  - `makeIsoWithXorriso`: a real ISO made by `xorriso -as mkisofs -publisher ...` (when xorriso is installed).
 *  - `makeSparseFile`: a sparse file of any size (not an ISO).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const SECTOR = 2048;
export const SMALL_ISO_SIZE = 17 * SECTOR; // 34816

export interface TestIsoOptions {
  /** Publisher Identifier, e.g. `VMware Inc. v1.5.8-1-9489f63`; at most 128 characters (padded with spaces). */
  publisher: string;
  /** Volume identifier (32 chars max). Default `VIC`. */
  volumeId?: string;
  /** Total file size; default 34,816. Larger sizes are sparse. Rounded up to whole sectors. */
  sizeBytes?: number;
  /** Corrupt the `CD001` signature (to test "not an ISO"). */
  badSignature?: boolean;
}

function putString(buf: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value.slice(0, length), 'latin1');
  buf.fill(0x20, offset, offset + length);
  bytes.copy(buf, offset);
}

function putBothEndian32(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt32LE(value, offset);
  buf.writeUInt32BE(value, offset + 4);
}

function putBothEndian16(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt16LE(value, offset);
  buf.writeUInt16BE(value, offset + 2);
}

/** The 2048-byte Primary Volume Descriptor. */
export function primaryVolumeDescriptor(options: { publisher: string; volumeId?: string; volumeSectors: number; badSignature?: boolean }): Buffer {
  if (options.publisher.length > 128) throw new Error('publisher is limited to 128 characters');
  const pvd = Buffer.alloc(SECTOR, 0);
  pvd[0] = 1;
  pvd.write(options.badSignature ? 'CD002' : 'CD001', 1, 'latin1');
  pvd[6] = 1;
  putString(pvd, 8, 32, 'LINUX');
  putString(pvd, 40, 32, options.volumeId ?? 'VIC');
  putBothEndian32(pvd, 80, options.volumeSectors);
  putBothEndian16(pvd, 120, 1); // volume set size
  putBothEndian16(pvd, 124, 1); // volume sequence number
  putBothEndian16(pvd, 128, SECTOR); // logical block size
  // Root directory record (34 bytes) at 156.
  pvd[156] = 34;
  putBothEndian32(pvd, 158, 18);
  putBothEndian32(pvd, 166, SECTOR);
  pvd[181] = 0x02;
  putBothEndian16(pvd, 184, 1);
  pvd[188] = 1;
  putString(pvd, 190, 128, ''); // volume set id
  putString(pvd, 318, 128, options.publisher);
  putString(pvd, 446, 128, ''); // data preparer
  putString(pvd, 574, 128, ''); // application
  putString(pvd, 702, 37 * 3, ''); // copyright, abstract, bibliographic file ids
  for (const at of [813, 830, 847, 864]) {
    pvd.write('0000000000000000', at, 'latin1');
    pvd[at + 16] = 0;
  }
  pvd[881] = 1; // file structure version
  return pvd;
}

/** Write a test ISO at `path` (parent folders created). Returns `path`. */
export async function writeTestIso(path: string, options: TestIsoOptions): Promise<string> {
  const size = Math.max(SMALL_ISO_SIZE, Math.ceil((options.sizeBytes ?? SMALL_ISO_SIZE) / SECTOR) * SECTOR);
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'w', 0o644);
  try {
    await fh.write(Buffer.alloc(16 * SECTOR, 0), 0, 16 * SECTOR, 0);
    const pvdOptions: { publisher: string; volumeSectors: number; volumeId?: string; badSignature?: boolean } = {
      publisher: options.publisher,
      volumeSectors: size / SECTOR,
    };
    if (options.volumeId !== undefined) pvdOptions.volumeId = options.volumeId;
    if (options.badSignature) pvdOptions.badSignature = true;
    await fh.write(primaryVolumeDescriptor(pvdOptions), 0, SECTOR, 16 * SECTOR);
    if (size > SMALL_ISO_SIZE) {
      const term = Buffer.alloc(SECTOR, 0);
      term[0] = 255;
      term.write('CD001', 1, 'latin1');
      term[6] = 1;
      await fh.write(term, 0, SECTOR, 17 * SECTOR);
      await fh.truncate(size); // sparse: no blocks allocated past the header
    }
  } finally {
    await fh.close();
  }
  return path;
}

/** A sparse file of `sizeBytes` (reads as zeros). */
export async function makeSparseFile(path: string, sizeBytes: number): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, '');
  await truncate(path, sizeBytes);
  return path;
}

/** Whether `xorriso` can be run. */
export async function xorrisoAvailable(): Promise<boolean> {
  try {
    await execFileAsync('xorriso', ['-version']);
    return true;
  } catch {
    return false;
  }
}

/** A real ISO 9660 image made by xorriso with the given publisher (and one small file inside). */
export async function makeIsoWithXorriso(path: string, options: { publisher: string; volumeId?: string }): Promise<string> {
  const src = await mkdtemp(join(tmpdir(), 'iso-src-'));
  try {
    await writeFile(join(src, 'README.txt'), 'test image\n');
    await mkdir(dirname(path), { recursive: true });
    await execFileAsync('xorriso', ['-as', 'mkisofs', '-quiet', '-publisher', options.publisher, '-V', options.volumeId ?? 'VIC', '-o', path, src]);
    return path;
  } finally {
    await rm(src, { recursive: true, force: true });
  }
}

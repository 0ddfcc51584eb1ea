// The request's private working folder: what create and configure read from files (certificates given as PEM in the
// body, certificates they generate) lives there for the request only. The folder is made 0700 and removed when the
// run ends, so that no private key outlives the request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PemSource } from '../../vic/spec/vch-spec.js';

/** Runs fn with a new private folder (0700), removed afterwards whatever happens. */
export async function withPrivateFolder<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes PEM text given inline to a file of its own in `dir` (0600); a file source stays as it is. */
export function pemFileWriter(dir: string): (s: PemSource) => PemSource {
  let n = 0;
  return (s) => {
    if ('file' in s) return s;
    const f = path.join(dir, `input-${n++}.pem`);
    fs.writeFileSync(f, s.pem, { mode: 0o600 });
    return { file: f };
  };
}

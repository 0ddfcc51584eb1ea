// Removes what simulators left behind: the temporary directories (datastores) of simulators whose jest process is
// gone. Running simulators stop with their test files (stop(), an exit hook, and -stdin-watch).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TMP_PREFIX } from '../vcsim/build.mjs';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default async function globalTeardown(): Promise<void> {
  const tmp = os.tmpdir();
  let entries: string[] = [];
  try { entries = fs.readdirSync(tmp); } catch { return; }
  for (const name of entries) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const pid = Number(name.slice(TMP_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || (pid !== process.pid && alive(pid))) continue;
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
}

// The setup most integration suites share: one simulator for the file, an administrator's session on it (for the
// test's own reads and writes, beside the CLI's sessions), a private working directory, and, where the suite runs
// create or upgrade, the installer's two ISOs in it. Torn down after the file, whatever happened.
//
// Use: `simulatorSuite({ tmpPrefix: 'vicm-x-', isos: true }, (s) => ({ sim, admin, cwd } = s));` at the top of the
// file: the callback hands the started pieces to the suite's own variables. A suite's further setup (fixtures, a
// VCH) goes into a beforeAll of its own after this call: jest runs them in the order they were declared.
import { afterAll, beforeAll } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startVcsim, type Vcsim, type VcsimOptions } from './vcsim.js';
import { writeTestIso } from './iso-fixture.js';
import { Session } from '../../src/vim/session.js';

/** The version of the ISOs the suites install from: the fixtures' installer. */
export const TEST_ISO_PUBLISHER = 'VMware Inc. v1.5.8-1-9489f63';

export interface SimulatorSuite {
  sim: Vcsim;
  admin: Session;
  /** a fresh directory under the system's temporary folder, removed afterwards */
  cwd: string;
}

export interface SimulatorSuiteOptions {
  vcsim?: VcsimOptions;
  /** the working directory's name prefix, e.g. 'vicm-create-' */
  tmpPrefix: string;
  /** write appliance.iso and bootstrap.iso (of this publisher string, or TEST_ISO_PUBLISHER) into the directory */
  isos?: boolean | string;
}

export function simulatorSuite(o: SimulatorSuiteOptions, ready: (s: SimulatorSuite) => void): void {
  let sim: Vcsim | undefined;
  let admin: Session | undefined;
  let cwd: string | undefined;
  beforeAll(async () => {
    sim = await startVcsim(o.vcsim ?? {});
    // The simulator accepts any non-empty credentials unless it was given its own.
    admin = await Session.connect({
      url: sim.url, user: o.vcsim?.username ?? 'u', password: o.vcsim?.password ?? 'p', trust: { thumbprint: sim.thumbprintSHA1 },
    });
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), o.tmpPrefix));
    if (o.isos) {
      const publisher = typeof o.isos === 'string' ? o.isos : TEST_ISO_PUBLISHER;
      for (const kind of ['appliance', 'bootstrap']) await writeTestIso(path.join(cwd, `${kind}.iso`), { publisher });
    }
    ready({ sim, admin, cwd });
  });
  afterAll(async () => {
    await admin?.logout().catch(() => undefined);
    await sim?.stop();
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });
}

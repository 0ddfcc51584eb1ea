// Builds the simulator (test/vcsim) once per jest run, before any worker starts, so that suites start it in
// milliseconds. Fails the run with a clear message when Go or govmomi is missing.
// (Global setup runs outside jest's module system: it imports the plain ESM build script, not vcsim.ts.)
import { BUILT_BINARY_ENV, buildVcsim } from '../vcsim/build.mjs';

export default async function globalSetup(): Promise<void> {
  let bin: string;
  try {
    bin = buildVcsim({ log: (line) => process.stderr.write(`${line}\n`) });
  } catch (e) {
    throw new Error(`\n\n*** The simulator test bed could not be built. ***\n${(e as Error).message}\n`);
  }
  process.env[BUILT_BINARY_ENV] = bin; // inherited by the workers
}

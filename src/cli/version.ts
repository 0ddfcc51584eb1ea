// The tool's version (src/vic/package-version.ts, shared with vic-machine-server) and the CLI's version line.
import { packageVersion } from '../vic/package-version.js';

export { packageVersion };

/** `vic-machine version <version>`, as the original prints it (`%v version %v`). */
export function versionLine(programName = 'vic-machine'): string {
  return `${programName} version ${packageVersion()}`;
}

// Errors of src/vic/vch. They carry `cliErrorType` (see src/cli/errors.ts toCliError) so that the CLI maps them to
// its exit codes without this layer importing the CLI.

import type { ValidationCode } from '../validate/types.js';

export type VchErrorType = 'not-found' | 'conflict' | 'usage' | 'validation' | 'internal';

export class VchError extends Error {
  override readonly name = 'VchError';
  /** usage and validation errors: what kind of problem it is (with the flag, what a program decides on) */
  constructor(readonly cliErrorType: VchErrorType, message: string, readonly hint?: string, readonly flag?: string, readonly code?: ValidationCode) {
    super(message);
  }
}

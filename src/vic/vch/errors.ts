// Errors of src/vic/vch. They carry `cliErrorType` (see src/cli/errors.ts toCliError) so that the CLI maps them to
// its exit codes without this layer importing the CLI.

export type VchErrorType = 'not-found' | 'conflict' | 'usage' | 'validation' | 'internal';

export class VchError extends Error {
  override readonly name = 'VchError';
  constructor(readonly cliErrorType: VchErrorType, message: string, readonly hint?: string, readonly flag?: string) {
    super(message);
  }
}

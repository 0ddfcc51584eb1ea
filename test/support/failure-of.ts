// The error a promise rejects with, for tests that check more than the message; a promise that resolves fails the test.
export async function failureOf(p: Promise<unknown>): Promise<Error & { cliErrorType?: string; hint?: string; flag?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { cliErrorType?: string; hint?: string; flag?: string };
  }
  throw new Error('expected a failure, but it succeeded');
}

// The one error every value parser throws: what is wrong with the text, and what would be valid. It names no flag:
// the edge that read the text (a CLI flag, a YAML key, a REST field) adds where it came from.

export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';
  constructor(
    /** what is wrong, e.g. `"10.0.0.256" is not an IPv4 address` */
    message: string,
    /** the valid forms with an example, e.g. `a dotted IPv4 address such as 10.0.0.1` */
    readonly expected: string,
  ) {
    super(message);
  }

  /** `<message>: expected <expected>`, the text the CLI prints after the flag's name */
  get detail(): string {
    return `${this.message}; expected ${this.expected}`;
  }
}

/** Runs a parser and returns its value or its error, for callers that collect every problem before reporting. */
export function tryParse<T>(parse: () => T): { value: T } | { error: InvalidValueError } {
  try {
    return { value: parse() };
  } catch (e) {
    if (e instanceof InvalidValueError) return { error: e };
    throw e;
  }
}

// The last net over everything vic-machine writes: stderr, stdout (text and --json), the run's log file and the log
// uploaded to the datastore. Secrets are taken out of text from outside where it enters (src/vim/secrets.ts: vSphere
// faults, HTTP and TLS errors, echoed URLs), so that a message's own words are never searched; this net then removes,
// from every line whole, only what cannot be the tool's own words:
//   - the shapes of secrets, declared or not: a PEM private key block (any kind, also with CRLF line ends), a URL's
//     userinfo password, a vSphere session cookie;
//   - declared secrets that are distinctive (8 characters or more, with a digit, a symbol or a blank), in every
//     encoding, wherever they appear. A secret made of letters and hyphens only, or shorter ("pass", "vic", "user",
//     "a", "password"), could be one of the tool's words ("--password", "vic-machine", "a VCH") and is left to the
//     redaction of outside text: replacing it here would mangle every message that happens to contain the word.
import { REDACTED, SecretSet } from '../vim/secrets.js';

/** Whether a secret can be replaced anywhere in a whole line without ever hitting one of the tool's own words. */
export function isDistinctive(secret: string): boolean {
  return secret.length >= 8 && /[^A-Za-z-]/.test(secret);
}

export class Redactor {
  readonly secrets: SecretSet;
  /** the distinctive secrets, rebuilt when a secret was added */
  private net: { size: number; set: SecretSet } | undefined;

  constructor(secrets: SecretSet | Iterable<string | undefined> = []) {
    this.secrets = secrets instanceof SecretSet ? secrets : new SecretSet(secrets);
  }

  /** Declares a secret (also for the redaction of outside text, when this set is the run's). */
  add(secret: string | undefined): void {
    this.secrets.add(secret);
  }

  redact(text: string): string {
    let out = text
      .replace(/(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, `$1${REDACTED}$2`)
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${REDACTED}@`)
      .replace(/(vmware_soap_session=)("?)[^";\s]+/g, `$1$2${REDACTED}`);
    if (this.net?.size !== this.secrets.size) this.net = { size: this.secrets.size, set: new SecretSet(this.secrets.values().filter(isDistinctive)) };
    return this.net.set.size ? this.net.set.redact(out) : out;
  }
}

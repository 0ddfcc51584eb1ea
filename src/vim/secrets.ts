// The secrets of the current run (a CLI command) or request (the server), and their removal from text that comes from
// outside: a vSphere fault's message, an HTTP status line, a Node or TLS error, an answer that is not SOAP. Such text
// may echo what was sent (a password in a request, a URL with credentials), so it is redacted where it enters, before
// any message is built from it; the message's own words are never searched (a password "pass" must not turn the
// tool's "--password" or "pass --user" into "<redacted>"). src/cli/redact.ts adds the last net over every output line.
//
// Scoped with AsyncLocalStorage: every request and callback started inside withSecrets() sees that run's secrets, so
// the server's concurrent requests, each with its own credentials, do not see one another's. Secrets learned later
// (a password typed at a prompt) are added to the same set.
import { AsyncLocalStorage } from 'node:async_hooks';

export const REDACTED = '<redacted>';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret may take in text: as given, URL-encoded (also form-encoded), JSON-escaped, XML-escaped. */
function formsOf(secret: string): string[] {
  const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  const url = encodeURIComponent(secret);
  return [...new Set([secret, url, url.replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1), xml])];
}

/** Below this length a secret is matched only as a whole word in outside text (a 1-letter password is still a word). */
const WORD_MATCH_BELOW = 6;

export class SecretSet {
  private readonly forms = new Set<string>();
  private readonly given = new Set<string>();
  private pattern: RegExp | undefined | null = null;

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined): void {
    if (!secret || this.given.has(secret)) return;
    this.given.add(secret);
    for (const f of formsOf(secret)) this.forms.add(f);
    this.pattern = null;
  }

  /** The secrets as given (for the final net, which picks the ones it can match anywhere). */
  values(): string[] {
    return [...this.given];
  }

  get size(): number {
    return this.given.size;
  }

  /**
   * Text from outside with every form of every secret replaced: long ones wherever they appear, short ones (under 6
   * characters) where they stand as a whole word, so that "a" is caught in "password a" but not inside "password".
   */
  redact(text: string): string {
    if (this.pattern === null) {
      // longest first, so that a secret containing another is replaced whole
      const alternatives = [...this.forms].sort((a, b) => b.length - a.length)
        .map((f) => (f.length >= WORD_MATCH_BELOW ? escapeRegExp(f) : `(?<![\\p{L}\\p{N}_])${escapeRegExp(f)}(?![\\p{L}\\p{N}_])`));
      this.pattern = alternatives.length ? new RegExp(alternatives.join('|'), 'gu') : undefined;
    }
    return this.pattern && text ? text.replace(this.pattern, REDACTED) : text;
  }
}

const scope = new AsyncLocalStorage<SecretSet>();

/** Runs fn with these secrets as the current ones (everything fn starts, also later callbacks, sees them). */
export function withSecrets<T>(secrets: SecretSet, fn: () => T): T {
  return scope.run(secrets, fn);
}

/** The current run's or request's secrets, if any: add a secret learned on the way (a prompted password). */
export function currentSecrets(): SecretSet | undefined {
  return scope.getStore();
}

/** Text from outside (a server's message, a library's error), with the current secrets redacted. */
export function outsideText(text: string): string {
  return scope.getStore()?.redact(text) ?? text;
}

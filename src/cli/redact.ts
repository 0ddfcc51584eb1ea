// Secrets out of everything vic-machine writes: stderr, the run's log file, the log uploaded to the datastore. The
// known secrets of the run (passwords from flags, environment and the target URL) are replaced wherever they appear,
// also URL-encoded; and whatever has the shape of a secret is replaced even when it was not declared: a PEM private
// key block (any kind, also with CRLF line ends), a URL's userinfo password, a vSphere session cookie.

const MASK = '<redacted>';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /**
   * Declares a secret. Values shorter than 6 characters are replaced only where they stand alone, as a whole word (a
   * short password would otherwise mangle every line that happens to contain it); below 3 characters, not at all.
   */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 3) return;
    this.secrets.add(secret);
    // As it may be written: in a URL or form (encoded), in JSON output (escaped), in a SOAP body (XML-escaped).
    const xml = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    for (const form of [encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1), xml]) {
      if (form !== secret) this.secrets.add(form);
    }
  }

  redact(text: string): string {
    let out = text
      .replace(/(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, `$1${MASK}$2`)
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${MASK}@`)
      .replace(/(vmware_soap_session=)("?)[^";\s]+/g, `$1$2${MASK}`);
    // Longest first, so that a secret containing another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = s.length >= 6 ? out.split(s).join(MASK) : out.replace(new RegExp(`(?<![\\w])${escapeRegExp(s)}(?![\\w])`, 'g'), MASK);
    }
    return out;
  }
}

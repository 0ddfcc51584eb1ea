// A target with its credentials, as resolveTarget (target.ts) settles it from flags, variables and prompts. Its own
// file so that the trust steps target.ts loads lazily (force-trust.ts, trust-prompt.ts) can name it without
// importing target.ts back.
import type { CertificatePin } from '../vim/thumbprint.js';

export interface ResolvedTarget {
  /** `https://host[:port]`: no userinfo, no path */
  url: URL;
  /** host name or address, without port */
  host: string;
  /** the target URL's path after the host, decoded, without trailing slash, e.g. `/DC0`; absent when none */
  datacenterPath?: string;
  user: string;
  /** never print this */
  password: string;
  /**
   * `--thumbprint`, parsed (absent when empty); a malformed one trusts nothing, so that the first connection fails
   * with the server's thumbprints (exit 3) instead of a usage error that shows none
   */
  thumbprint?: CertificatePin;
  /** where the target came from */
  source: 'flag' | 'GOVC_URL';
  /** VIC_MACHINE_API_TIMEOUT: how long one vSphere request may go unanswered, a datastore transfer without progress */
  requestTimeoutMs?: number;
}

// The one error shape of every answer that is not a success: the spec's `Error` (`{"message": "..."}`), with this
// server's extension fields beside `message` (a 1.5 client reads `message` and ignores the rest):
//   type      the class of error, as the CLI's --json says it (usage, validation, not-found, conflict, ...)
//   field     the request field concerned: a path or query parameter name, or a JSON path into the body ($.name)
//   hint      what to do about it
//   problems  every problem, when there are several: [{field, message, suggestions?}]
//   certificate  for an untrusted target: sha1, sha256, subject, issuer, valid_from, valid_to
// Lower layers' errors are classified by duck typing (cliErrorType, faultName, name), as the CLI does.
import type { ThumbprintWording } from '../vim/trust-message.js';

export interface ApiProblem {
  field?: string;
  message: string;
  suggestions?: string[];
}

export interface ApiErrorBody {
  message: string;
  type?: string;
  field?: string;
  hint?: string;
  problems?: ApiProblem[];
  certificate?: { sha1: string; sha256: string; subject?: string; issuer?: string; valid_from?: string; valid_to?: string };
  /** the holder of a lock or busy VCH */
  holder?: string;
  /** the task of a failed long operation (its log says more) */
  task?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: number, readonly body: ApiErrorBody, readonly headers: Record<string, string> = {}) {
    super(body.message);
  }
}

export const badRequest = (message: string, field?: string, hint?: string): ApiError =>
  new ApiError(400, { message, type: 'usage', ...(field ? { field } : {}), ...(hint ? { hint } : {}) });

export const WWW_AUTHENTICATE = 'Basic realm="vSphere", charset="UTF-8"';

/** The CLI's flags as this API names them: path and query parameters. */
const FIELD_OF_FLAG: Record<string, string> = {
  '--target': 'target', '--thumbprint': 'thumbprint', '--compute-resource': 'compute-resource', '--id': 'vchId',
  '--name': 'vchId', '--user': 'Authorization', '--password': 'Authorization',
  '--authorized-key': '$.authorized_key', '--rootpw': '$.rootpw', '--bootstrap-iso': '$.bootstrap-iso', '--force': '$.force',
};

export function fieldOf(flag: string | undefined): string | undefined {
  if (!flag) return undefined;
  return FIELD_OF_FLAG[flag] ?? flag;
}

/** How this API takes a thumbprint, for the words of a refused certificate: the target routes' query parameter. */
export const API_THUMBPRINT: ThumbprintWording = { name: '?thumbprint=', pass: (v) => `?thumbprint=${v}` };

const STATUS_BY_TYPE: Record<string, number> = {
  usage: 400, validation: 400, 'not-found': 404, conflict: 409, internal: 500, timeout: 504, interrupted: 503,
  authentication: 401, 'tls-trust': 400, target: 502, 'not-implemented': 501,
};

interface Classified {
  name?: string;
  message?: string;
  cliErrorType?: string;
  type?: string;
  faultName?: string;
  flag?: string;
  hint?: string;
  problems?: { flag?: string; path?: string; message: string; suggestions?: string[] }[];
  thumbprintSHA1?: string;
  thumbprintSHA256?: string;
  messageFor?: (wording: ThumbprintWording) => string;
  certificate?: { subject: string; issuer: string; validFrom: string; validTo: string };
}

/** Any error thrown while serving a request → the status and body to answer with. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = (err ?? {}) as Classified;
  const message = (typeof e.message === 'string' && e.message) || String(err);
  if (e.name === 'TlsTrustError' && e.thumbprintSHA1) {
    const c = e.certificate;
    return new ApiError(400, {
      // the message in this API's words (the error's own are the CLI's)
      message: typeof e.messageFor === 'function' ? e.messageFor(API_THUMBPRINT) : message, type: 'tls-trust', field: 'thumbprint',
      hint: `verify the target's certificate out of band, then pass ${API_THUMBPRINT.pass(e.thumbprintSHA1)} (or the SHA-256 value)`,
      certificate: {
        sha1: e.thumbprintSHA1, sha256: e.thumbprintSHA256 ?? '',
        ...(c ? { subject: c.subject, issuer: c.issuer, valid_from: c.validFrom, valid_to: c.validTo } : {}),
      },
    });
  }
  if (e.faultName === 'InvalidLogin' || e.faultName === 'InvalidClientCertificate') {
    return new ApiError(401, { message: 'Cannot complete login due to an incorrect user name or password', type: 'authentication', field: 'Authorization' },
      { 'WWW-Authenticate': WWW_AUTHENTICATE });
  }
  if (e.faultName === 'NoPermission' || e.faultName === 'NotAuthenticated') {
    return new ApiError(e.faultName === 'NoPermission' ? 403 : 401, { message, type: 'authentication' },
      e.faultName === 'NotAuthenticated' ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : {});
  }
  const type = e.cliErrorType ?? (e.name === 'CertificateError' || e.name === 'CertificateInputError' || e.name === 'IsoError' ? 'validation' : undefined)
    ?? (e.name === 'TargetConnectError' ? 'target' : undefined) ?? (e.name === 'TimeoutError' ? 'timeout' : undefined);
  if (type) {
    const body: ApiErrorBody = { message, type };
    const field = fieldOf(e.flag);
    if (field) body.field = field;
    if (e.hint) body.hint = e.hint;
    if (e.problems?.length) {
      // a problem of the VCH model names its JSON path (SpecError), one found by flag the parameter or field
      const fieldOfProblem = (p: { flag?: string; path?: string }): string | undefined => (p.path !== undefined ? `$.${p.path}`.replace(/\.$/, '') : fieldOf(p.flag));
      body.problems = e.problems.map((p) => ({ message: p.message, ...(fieldOfProblem(p) ? { field: fieldOfProblem(p)! } : {}), ...(p.suggestions ? { suggestions: p.suggestions } : {}) }));
      const first = e.problems[0];
      if (first?.path !== undefined) body.field = fieldOfProblem(first)!;
    }
    return new ApiError(STATUS_BY_TYPE[type] ?? 500, body);
  }
  if (e.faultName) return new ApiError(500, { message: `vSphere: ${message}`, type: 'internal' });
  return new ApiError(500, { message, type: 'internal' });
}

// Registry lists as create stores them (vic 1.5 `pkg/registry`, `lib/install/validate/validator.go`
// reachableRegistries): insecure registries are stored as given; when a whitelist was given, the stored whitelist
// is the whitelist (minus entries an insecure registry matches) merged with the insecure registries.

import { goURLString, ipNetString, ipNetContains, parseCIDR, parseGoURL, parseIP, urlHostname, urlPort, type ParsedURL } from './goutil.js';
import type { IPNet } from './model.js';

export type RegistryEntry =
  | { readonly kind: 'cidr'; readonly net: IPNet }
  | { readonly kind: 'url'; readonly url: ParsedURL };

/** registry.ParseEntry: a CIDR, else a URL with a host (an "https://" prefix is tried, and its scheme dropped). */
export function parseRegistryEntry(s: string): RegistryEntry | undefined {
  try {
    const { net } = parseCIDR(s);
    return { kind: 'cidr', net };
  } catch {
    /* not a CIDR */
  }
  for (const p of ['', 'https://']) {
    try {
      const u = parseGoURL(p + s);
      if (u.host.length > 0) {
        if (p !== '') u.scheme = '';
        return { kind: 'url', url: u };
      }
    } catch {
      /* try the next form */
    }
  }
  return undefined;
}

/** Entry.String() */
export function registryEntryString(e: RegistryEntry): string {
  if (e.kind === 'cidr') return ipNetString(e.net);
  const s = goURLString(e.url);
  return e.url.scheme === '' && s.startsWith('//') ? s.slice(2) : s;
}

function splitHostPortOk(host: string): boolean {
  // net.SplitHostPort succeeds when there is a port separator (bracketed IPv6 or a single colon)
  if (host.startsWith('[')) return /\]:[^:]*$/.test(host);
  return (host.match(/:/g) ?? []).length === 1;
}

function ensurePort(u: ParsedURL): ParsedURL {
  if (splitHostPortOk(u.host)) return u;
  if (u.scheme === 'http') return { ...u, host: u.host + ':80' };
  if (u.scheme === 'https') return { ...u, host: u.host + ':443' };
  return u;
}

/** github.com/ryanuber/go-glob: "*" matches any run of characters. */
export function glob(pattern: string, subj: string): boolean {
  if (pattern === '') return subj === pattern;
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return subj === pattern;
  const leadingGlob = pattern.startsWith('*');
  const trailingGlob = pattern.endsWith('*');
  const end = parts.length - 1;
  for (let i = 0; i < end; i++) {
    const idx = subj.indexOf(parts[i]!);
    if (i === 0) {
      if (!leadingGlob && idx !== 0) return false;
    } else if (idx < 0) {
      return false;
    }
    subj = subj.slice(idx + parts[i]!.length);
  }
  return trailingGlob || subj.endsWith(parts[end]!);
}

function urlContains(a: ParsedURL, b: ParsedURL): boolean {
  const up = ensurePort(a);
  let ep = ensurePort(b);
  if (urlPort(up) === '' && urlPort(ep) !== '') ep = { ...ep, host: urlHostname(ep) };
  return (a.scheme === '' || a.scheme === b.scheme) && b.path.startsWith(a.path) && glob(up.host, ep.host);
}

/** Entry.Match(s) */
export function registryEntryMatch(e: RegistryEntry, s: string): boolean {
  const q = parseRegistryEntry(s);
  if (e.kind === 'cidr') {
    if (!q) return false;
    if (q.kind === 'url') {
      const ip = parseIP(urlHostname(q.url));
      return ip !== undefined && ipNetContains(e.net, ip);
    }
    return q.net.ip !== undefined && ipNetContains(e.net, q.net.ip);
  }
  if (!q || q.kind !== 'url') return false;
  const nuE = parseRegistryEntry(registryEntryString(e));
  if (!nuE || nuE.kind !== 'url') return false;
  const query = { ...q.url };
  const nu = { ...nuE.url };
  if (query.scheme !== '' && nu.scheme === '') query.scheme = nu.scheme;
  else if (nu.scheme !== '' && query.scheme === '') nu.scheme = query.scheme;
  return urlContains(nu, query);
}

/**
 * The registry lists create stores. Throws `could not parse entry <r>` for an unparseable entry and
 * `invalid insecure registry entry: <r>` for a CIDR given as an insecure registry.
 */
export function storedRegistryLists(insecure: readonly string[], whitelist: readonly string[]): { insecureRegistries: string[]; registryWhitelist: string[] } {
  const parse = (list: readonly string[]): RegistryEntry[] => list.map((r) => {
    const e = parseRegistryEntry(r);
    if (!e) throw new Error(`could not parse entry ${r}`);
    return e;
  });
  let secure = parse(whitelist);
  const insecureSet = parse(insecure);
  for (const r of insecureSet) {
    if (r.kind !== 'url') throw new Error(`invalid insecure registry entry: ${registryEntryString(r)}`);
    const idx = secure.findIndex((s) => s.kind === 'url' && registryEntryMatch(r, registryEntryString(s)));
    if (idx !== -1) secure = [...secure.slice(0, idx), ...secure.slice(idx + 1)];
  }
  let registryWhitelist: string[] = [];
  if (whitelist.length > 0) {
    const res = secure.map(registryEntryString);
    const adds: string[] = [];
    for (const o of insecureSet.map(registryEntryString)) if (!res.includes(o)) adds.push(o);
    registryWhitelist = [...res, ...adds];
  }
  return { insecureRegistries: [...insecure], registryWhitelist };
}

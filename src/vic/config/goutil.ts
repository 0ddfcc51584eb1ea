// Small re-implementations of the Go standard library behaviour the configuration depends on: net.IP / IPNet /
// IPMask byte forms and parsing, and net/url.URL parsing and String(). Byte lengths matter: VIC stores whatever
// Go produced (16-byte IPv4-in-IPv6 from ParseIP, 4-byte network addresses and masks from ParseCIDR).

import type { GoBytes, GoURL, IPNet } from './model.js';

// ---------------------------------------------------------------------------------------------------------------
// net

const V4_IN_V6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIPv4Octets(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    // Go rejects leading zeros ("010") since 1.17; 1.8 accepted them. Accept, value is decimal.
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIPv6Bytes(s: string): number[] | undefined {
  let str = s;
  // an embedded dotted IPv4 address becomes the last two groups
  const lastColon = str.lastIndexOf(':');
  const tail = str.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIPv4Octets(tail);
    if (!v4) return undefined;
    str = str.slice(0, lastColon + 1) + ((v4[0]! << 8) | v4[1]!).toString(16) + ':' + ((v4[2]! << 8) | v4[3]!).toString(16);
  }
  const dbl = str.indexOf('::');
  if (dbl !== -1 && str.indexOf('::', dbl + 1) !== -1) return undefined;
  const groups = (g: string): number[] | undefined => {
    if (g === '') return [];
    const out: number[] = [];
    for (const h of g.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
      const n = parseInt(h, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  if (dbl === -1) {
    const all = groups(str);
    return all && all.length === 16 ? all : undefined;
  }
  const head = groups(str.slice(0, dbl));
  const rest = groups(str.slice(dbl + 2));
  if (!head || !rest) return undefined;
  const fill = 16 - head.length - rest.length;
  if (fill < 2) return undefined;
  return [...head, ...new Array<number>(fill).fill(0), ...rest];
}

/** net.ParseIP: 16 bytes (IPv4 as IPv4-in-IPv6), or undefined. */
export function parseIP(s: string): GoBytes | undefined {
  const v4 = parseIPv4Octets(s);
  if (v4) return new Uint8Array([...V4_IN_V6_PREFIX, ...v4]);
  if (!s.includes(':')) return undefined;
  const v6 = parseIPv6Bytes(s);
  return v6 ? new Uint8Array(v6) : undefined;
}

/** net.IP.To4: the 4-byte form of an IPv4 address, else undefined. */
export function ipTo4(ip: GoBytes): GoBytes | undefined {
  if (ip.length === 4) return ip;
  if (ip.length === 16 && V4_IN_V6_PREFIX.every((b, i) => ip[i] === b)) return ip.slice(12);
  return undefined;
}

/** net.IPv4(a,b,c,d): the 16-byte form. */
export function ipv4(a: number, b: number, c: number, d: number): GoBytes {
  return new Uint8Array([...V4_IN_V6_PREFIX, a, b, c, d]);
}

/** net.IP.String() */
export function ipString(ip: GoBytes | undefined): string {
  if (!ip || ip.length === 0) return '<nil>';
  const v4 = ipTo4(ip);
  if (v4) return Array.from(v4).join('.');
  if (ip.length !== 16) return '?' + Buffer.from(ip).toString('hex');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i]! << 8) | ip[i + 1]!);
  // longest run (>= 2) of zero groups becomes "::"
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart === -1) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** net.CIDRMask(ones, bits) */
export function cidrMask(ones: number, bits: number): GoBytes {
  if ((bits !== 32 && bits !== 128) || ones < 0 || ones > bits) throw new Error(`invalid mask /${ones} of ${bits} bits`);
  const m = new Uint8Array(bits / 8);
  for (let i = 0; i < m.length; i++) {
    const n = Math.max(0, Math.min(8, ones - i * 8));
    m[i] = (0xff << (8 - n)) & 0xff;
  }
  return m;
}

/** net.IPMask.Size(): [ones, bits], or [0, 0] for a non-canonical mask. */
export function maskSize(mask: GoBytes | undefined): [number, number] {
  if (!mask) return [0, 0];
  let ones = 0;
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      if (byte & (1 << bit)) {
        if (seenZero) return [0, 0];
        ones++;
      } else seenZero = true;
    }
  }
  return [ones, mask.length * 8];
}

/** net.IP.Mask(mask): the network address (4 bytes for an IPv4 address with a 4-byte mask). */
export function ipMask(ip: GoBytes, mask: GoBytes): GoBytes | undefined {
  let a = ip;
  if (mask.length === 16 && a.length === 4) a = new Uint8Array([...V4_IN_V6_PREFIX, ...a]);
  if (mask.length === 4 && a.length === 16) {
    const v4 = ipTo4(a);
    if (!v4) return undefined;
    a = v4;
  }
  if (a.length !== mask.length) return undefined;
  return a.map((b, i) => b & mask[i]!);
}

/** net.ParseCIDR: the address (16-byte form for IPv4) and the network (4-byte IP and mask for IPv4). */
export function parseCIDR(s: string): { ip: GoBytes; net: { ip: GoBytes; mask: GoBytes } } {
  const slash = s.indexOf('/');
  if (slash === -1) throw new Error(`invalid CIDR address: ${s}`);
  const addr = s.slice(0, slash);
  const bitsStr = s.slice(slash + 1);
  const v4 = parseIPv4Octets(addr);
  const ip = parseIP(addr);
  const bits = v4 ? 32 : 128;
  if (!ip || !/^\d+$/.test(bitsStr) || Number(bitsStr) > bits) throw new Error(`invalid CIDR address: ${s}`);
  const mask = cidrMask(Number(bitsStr), bits);
  return { ip, net: { ip: ipMask(ip, mask)!, mask } };
}

/** net.IPNet.Contains */
export function ipNetContains(n: IPNet, ip: GoBytes): boolean {
  if (!n.ip || !n.mask) return false;
  const nn = ipTo4(n.ip) ?? n.ip;
  let x = ipTo4(ip) ?? ip;
  if (x.length !== nn.length) {
    if (nn.length === 16 && x.length === 4) x = new Uint8Array([...V4_IN_V6_PREFIX, ...x]);
    else return false;
  }
  const mask = n.mask.length === x.length ? n.mask : undefined;
  if (!mask) return false;
  for (let i = 0; i < x.length; i++) if ((nn[i]! & mask[i]!) !== (x[i]! & mask[i]!)) return false;
  return true;
}

/** net.IPNet.String(): "a.b.c.d/n" */
export function ipNetString(n: IPNet | undefined): string {
  if (!n || !n.ip) return '<nil>';
  const [ones, bits] = maskSize(n.mask);
  const ip = ipMask(n.ip, n.mask ?? new Uint8Array()) ?? n.ip;
  return bits === 0 ? `${ipString(ip)}/${n.mask ? Buffer.from(n.mask).toString('hex') : ''}` : `${ipString(ip)}/${ones}`;
}

/** IsUnspecifiedIP: nil/empty or 0.0.0.0 / :: */
export function isUnspecifiedIP(ip: GoBytes | undefined): boolean {
  if (!ip || ip.length === 0) return true;
  const v4 = ipTo4(ip);
  return (v4 ?? ip).every((b) => b === 0);
}

// ---------------------------------------------------------------------------------------------------------------
// net/url

/** A parsed URL with the userinfo kept (url.URL.User is not part of the config encoding, but String() prints it). */
export interface ParsedURL extends GoURL {
  user?: string;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/** url.PathUnescape-like decoding; throws on a malformed escape. '+' stays '+'. */
export function goUnescape(s: string, mode: 'path' | 'fragment' | 'host' | 'query' = 'path'): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '%') {
      if (!isHex(s[i + 1] ?? '') || !isHex(s[i + 2] ?? '')) throw new Error(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (c === '+' && mode === 'query') {
      bytes.push(0x20);
      i++;
    } else {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      i += ch.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function shouldEscape(c: number, mode: 'path' | 'fragment' | 'host'): boolean {
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return false;
  const ch = String.fromCharCode(c);
  if (mode === 'host') {
    return !"!$&'()*+,;=:[]<>\"-._~".includes(ch);
  }
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    if (mode === 'path') return ch === '?';
    return false; // fragment
  }
  if (mode === 'fragment' && "!()*".includes(ch)) return false;
  return true;
}

/** url's escape(s, mode) */
export function goEscape(s: string, mode: 'path' | 'fragment' | 'host'): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    out += shouldEscape(b, mode) ? '%' + b.toString(16).toUpperCase().padStart(2, '0') : String.fromCharCode(b);
  }
  return out;
}

function emptyURL(): ParsedURL {
  return { scheme: '', opaque: '', host: '', path: '', rawPath: '', omitHost: false, forceQuery: false, rawQuery: '', fragment: '', rawFragment: '' };
}

/** url.Parse (Go semantics for the forms vic-machine deals with). Throws on the errors Go reports. */
export function parseGoURL(raw: string): ParsedURL {
  const u = emptyURL();
  let rest = raw;
  let frag: string | undefined;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    frag = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  if (/[\x00-\x1f\x7f]/.test(rest)) throw new Error(`parse ${JSON.stringify(raw)}: net/url: invalid control character in URL`);
  // scheme
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    u.scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  } else if (rest.startsWith(':')) {
    throw new Error(`parse ${JSON.stringify(raw)}: missing protocol scheme`);
  }
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q !== -1) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      if (frag !== undefined) setFragment(u, frag);
      return u;
    }
    const colon = rest.indexOf(':');
    const slash = rest.indexOf('/');
    if (colon !== -1 && (slash === -1 || colon < slash)) throw new Error(`parse ${JSON.stringify(raw)}: first path segment in URL cannot contain colon`);
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    if (slash !== -1) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    } else {
      rest = '';
    }
    const at = authority.lastIndexOf('@');
    let host = authority;
    if (at !== -1) {
      u.user = authority.slice(0, at);
      host = authority.slice(at + 1);
    }
    u.host = parseHost(host, raw);
  } else if (u.scheme !== '' && rest.startsWith('/')) {
    u.omitHost = true;
  }
  const path = goUnescape(rest, 'path');
  u.path = path;
  u.rawPath = goEscape(path, 'path') === rest ? '' : rest;
  if (frag !== undefined) setFragment(u, frag);
  return u;
}

function parseHost(host: string, raw: string): string {
  if (host.startsWith('[')) {
    const end = host.lastIndexOf(']');
    if (end === -1) throw new Error(`parse ${JSON.stringify(raw)}: missing ']' in host`);
    const port = host.slice(end + 1);
    if (port !== '' && !/^:\d*$/.test(port)) throw new Error(`parse ${JSON.stringify(raw)}: invalid port ${JSON.stringify(port)} after host`);
    return goUnescape(host, 'host');
  }
  const colon = host.lastIndexOf(':');
  if (colon !== -1) {
    const port = host.slice(colon);
    if (!/^:\d*$/.test(port)) throw new Error(`parse ${JSON.stringify(raw)}: invalid port ${JSON.stringify(port)} after host`);
  }
  if (/[ <>"{}|\\^`]/.test(host) && !host.includes('%')) {
    throw new Error(`parse ${JSON.stringify(raw)}: invalid character ${JSON.stringify(host.match(/[ <>"{}|\\^`]/)![0])} in host name`);
  }
  return goUnescape(host, 'host');
}

function setFragment(u: ParsedURL, f: string): void {
  u.fragment = goUnescape(f, 'fragment');
  u.rawFragment = goEscape(u.fragment, 'fragment') === f ? '' : f;
}

/** url.URL.EscapedPath() */
export function escapedPath(u: GoURL): string {
  if (u.rawPath !== '') {
    try {
      if (goUnescape(u.rawPath, 'path') === u.path) return u.rawPath;
    } catch {
      /* invalid raw path: fall through */
    }
  }
  if (u.path === '*') return '*';
  return goEscape(u.path, 'path');
}

/** url.URL.String() */
export function goURLString(u: ParsedURL | GoURL): string {
  let buf = '';
  const user = (u as ParsedURL).user;
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') {
    buf += u.opaque;
  } else {
    if (u.scheme !== '' || u.host !== '' || user !== undefined) {
      if (u.host !== '' || u.path !== '' || user !== undefined || !u.omitHost) buf += '//';
      if (user !== undefined) buf += user + '@';
      if (u.host !== '') buf += goEscape(u.host, 'host');
    }
    const path = escapedPath(u);
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '') {
      const colon = path.indexOf(':');
      const slash = path.indexOf('/');
      if (colon > -1 && (slash === -1 || colon < slash)) buf += './';
    }
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + (u.rawFragment !== '' ? u.rawFragment : goEscape(u.fragment, 'fragment'));
  return buf;
}

/** url.URL.Hostname() */
export function urlHostname(u: GoURL): string {
  const h = u.host;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h.slice(1) : h.slice(1, end);
  }
  const colon = h.indexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/** url.URL.Port() */
export function urlPort(u: GoURL): string {
  const h = u.host;
  const colon = h.lastIndexOf(':');
  if (colon === -1) return '';
  const br = h.indexOf(']:');
  if (br !== -1) return h.slice(br + 2);
  if (h.includes(']')) return '';
  return h.slice(colon + 1);
}

/** Copies the GoURL fields of a parsed URL (drops the userinfo, which the config cannot hold). */
export function toGoURL(u: ParsedURL | GoURL): GoURL {
  return {
    scheme: u.scheme, opaque: u.opaque, host: u.host, path: u.path, rawPath: u.rawPath, omitHost: u.omitHost,
    forceQuery: u.forceQuery, rawQuery: u.rawQuery, fragment: u.fragment, rawFragment: u.rawFragment,
  };
}

/** A GoURL with only the given fields set. */
export function goURL(fields: Partial<GoURL>): GoURL {
  return { ...emptyURL(), ...fields };
}

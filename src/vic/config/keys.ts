// Key naming for VIC's extraConfig encoding (vic 1.5 `pkg/vsphere/extraconfig/keys.go`).
//
// A key is built by walking the struct tree: every field contributes a name (its `key` tag, else its Go field
// name) and a scope (its `scope` tag, else the scope implied by the key built so far). The scope decides the
// separators and decorations:
//
//   read-only   guestinfo.vice./a/b/c        guest may read, not write ("/" separated)
//   read-write  guestinfo.vice..a.b.c        guest may write ("." separated; the whole key is re-separated)
//   hidden      a/b/c                        no guestinfo prefix, not visible in the guest
//   secret      <read-only key>@secret       value sealed with the secret key
//   non-persistent <key>@non-persistent      (inherited by everything below it)
//
// The functions here reproduce that algorithm exactly, quirks included (e.g. a read-only key re-separates every
// "." in its prefix, map keys included, into "/"), because keys must match what VIC 1.5 appliances look up.

export const GUESTINFO_PREFIX = 'guestinfo.';
export const DEFAULT_PREFIX = 'vice.';
/** `guestinfo.vice.` */
export const VICE_PREFIX = GUESTINFO_PREFIX + DEFAULT_PREFIX;
/** Separator for map keys, slice indexes and joined primitive slice values. */
export const SEPARATOR = '|';
export const SUFFIX_SEPARATOR = '@';
export const SECRET_SUFFIX = 'secret';
export const NON_PERSISTENT_SUFFIX = 'non-persistent';

export const HIDDEN_SCOPE = 'hidden';
export const READ_ONLY_SCOPE = 'read-only';
export const READ_WRITE_SCOPE = 'read-write';
export const VOLATILE_SCOPE = 'volatile';

/** Scope bits, in the original's order. */
export const Scope = {
  Invalid: 1 << 0,
  Hidden: 1 << 1,
  ReadOnly: 1 << 2,
  WriteOnly: 1 << 3,
  ReadWrite: 1 << 4,
  NonPersistent: 1 << 5,
  Volatile: 1 << 6,
  Secret: 1 << 7,
} as const;

/** Turns a list of scope names (a `scope:"a,b"` tag split on ",") into scope bits. An empty list means hidden+read-only. */
export function calculateScope(scopes: readonly string[]): number {
  if (scopes.every((s) => s === '')) return Scope.Hidden | Scope.ReadOnly;
  let scope = 0;
  for (const s of scopes) {
    switch (s) {
      case HIDDEN_SCOPE: scope |= Scope.Hidden; break;
      case READ_ONLY_SCOPE: scope |= Scope.ReadOnly; break;
      case READ_WRITE_SCOPE: scope |= Scope.ReadWrite; break;
      case VOLATILE_SCOPE: scope |= Scope.Volatile; break;
      case NON_PERSISTENT_SUFFIX: scope |= Scope.NonPersistent; break;
      case SECRET_SUFFIX: scope |= Scope.Secret | Scope.ReadOnly; break;
      default: return Scope.Invalid;
    }
  }
  return scope;
}

function hasSuffix(key: string, suffix: string): boolean {
  const parts = key.split(SUFFIX_SEPARATOR);
  return parts.length >= 2 && parts.slice(1).includes(suffix);
}

/** True when the key carries the `@secret` decoration (its value is sealed). */
export function isSecretKey(key: string): boolean {
  return hasSuffix(key, SECRET_SUFFIX);
}

/** True when the key carries the `@non-persistent` decoration. */
export function isNonPersistentKey(key: string): boolean {
  return hasSuffix(key, NON_PERSISTENT_SUFFIX);
}

/** The scope names implied by an already built key (used for untagged fields, which inherit their parent's scope). */
export function calculateScopeFromKey(key: string): string[] {
  const scopes: string[] = [];
  if (!key.startsWith(GUESTINFO_PREFIX)) scopes.push(HIDDEN_SCOPE);
  scopes.push(key.includes('/') ? READ_ONLY_SCOPE : READ_WRITE_SCOPE);
  if (isSecretKey(key)) scopes.push(SECRET_SUFFIX);
  if (isNonPersistentKey(key)) scopes.push(NON_PERSISTENT_SUFFIX);
  return scopes;
}

/** Scope bits of an already built key. */
export function scopeOfKey(key: string): number {
  return calculateScope(calculateScopeFromKey(key));
}

/**
 * The key for a field named `key` with scope bits `scope` below `prefix` (the parent's key, '' at the root).
 * Returns '' when the field cannot be encoded (invalid scope, or non-persistent combined with hidden).
 */
export function calculateKey(scope: number, prefix: string, key: string): string {
  if (scope & Scope.Invalid) return '';
  let newSep = '/';
  let oldSep = '.';
  key = key.trim();
  const hide = (scope & Scope.Hidden) !== 0;
  const write = (scope & Scope.ReadWrite) !== 0;
  const visible = prefix.startsWith(GUESTINFO_PREFIX);
  if (!hide && write) {
    oldSep = '/';
    newSep = '.';
  }
  // any decoration on the prefix is dropped; it is re-added below when it still applies
  const at = prefix.indexOf(SUFFIX_SEPARATOR);
  if (at !== -1) prefix = prefix.slice(0, at);

  let out = prefix !== '' ? prefix + newSep + key : key;
  if (scope & Scope.Secret) out += SUFFIX_SEPARATOR + SECRET_SUFFIX;
  if (scope & Scope.NonPersistent) {
    if (hide) return '';
    out += SUFFIX_SEPARATOR + NON_PERSISTENT_SUFFIX;
  }
  if (hide) {
    if (!visible) return out;
    // strip "guestinfo.vice." and the leading read-write/read-only signifier
    return out.slice(VICE_PREFIX.length + 1);
  }
  out = out.split(oldSep).join(newSep);
  if (!visible) return VICE_PREFIX + newSep + out;
  // the prefix itself was mangled by the separator replacement
  return VICE_PREFIX + out.slice(VICE_PREFIX.length);
}

/** Joins `value` to `prefix` with `separator`, keeping any `@...` decoration at the end. */
export function appendToPrefix(prefix: string, separator: string, value: string): string {
  const at = prefix.indexOf(SUFFIX_SEPARATOR);
  let suffix = '';
  if (at !== -1) {
    suffix = prefix.slice(at);
    prefix = prefix.slice(0, at);
  }
  return prefix + separator + value + suffix;
}

/** Recursion controls from a `recurse:"..."` tag. depth -1 is unbounded; depth 0 skips the field entirely. */
export interface Recursion {
  readonly depth: number;
  readonly follow: boolean;
  readonly skipEncode: boolean;
  readonly skipDecode: boolean;
}

export const UNBOUNDED: Recursion = { depth: -1, follow: true, skipEncode: false, skipDecode: false };

/** The tags of a field that carries `vic:"0.1"` (written exactly as in the Go source). */
export interface FieldTag {
  readonly key?: string;
  readonly scope?: string;
  readonly recurse?: string;
}

/**
 * Key and recursion for a struct field (`calculateKeyFromField`). `tag` undefined means the field has no `vic` tag:
 * it then uses its Go name and inherits the scope of `prefix`. Returns key '' when the field is skipped.
 */
export function calculateKeyFromField(
  goName: string,
  tag: FieldTag | undefined,
  prefix: string,
  depth: Recursion,
): { key: string; depth: Recursion } {
  const skip: Recursion = { depth: 0, follow: false, skipEncode: false, skipDecode: false };
  // unexported Go fields (lower-case first letter) are never encoded
  if (!/^\p{Lu}/u.test(goName)) return { key: '', depth: skip };
  const prefixScopes = calculateScopeFromKey(prefix);
  const prefixScope = calculateScope(prefixScopes);
  let scopes: string[];
  let key = '';
  let fdepth: { -readonly [K in keyof Recursion]: Recursion[K] } = { ...depth };
  if (tag !== undefined) {
    scopes = (tag.scope ?? '').split(',');
    key = tag.key ?? '';
    if (tag.recurse) {
      for (const prop of tag.recurse.split(',')) {
        if (prop.startsWith('depth')) {
          const parts = prop.split('=');
          if (parts.length !== 2 || !/^[+-]?\d+$/.test(parts[1]!)) return { key: '', depth: skip };
          fdepth.depth = Number.parseInt(parts[1]!, 10);
        } else if (prop === 'nofollow') fdepth.follow = false;
        else if (prop === 'follow') fdepth.follow = true;
        else if (prop === 'skip-decode') fdepth.skipDecode = true;
        else if (prop === 'skip-encode') fdepth.skipEncode = true;
      }
    }
  } else {
    scopes = prefixScopes;
  }
  if (key === '') key = goName;
  let scope = calculateScope(scopes);
  // non-persistent is inherited, even if other scopes are specified
  if (prefixScope & Scope.NonPersistent) scope |= Scope.NonPersistent;
  key = calculateKey(scope, prefix, key);
  if (key === '') return { key: '', depth: skip };
  return { key, depth: fdepth };
}

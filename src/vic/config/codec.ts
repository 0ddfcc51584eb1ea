// Generic, descriptor-driven encoder and decoder for VIC's extraConfig format (vic 1.5
// `pkg/vsphere/extraconfig/{encode,decode}.go`). Both directions walk the same StructDesc tables and compute keys
// with the same functions, so a field can only ever be read from the key it is written to.
//
// Value forms (what is written for a key):
//   string          as is ("" too; the vSphere layer escapes "" as "<nil>", see vch.ts)
//   bool            "true" / "false"
//   int             decimal
//   float           Go strconv 'E' format with shortest precision (e.g. "1.5E+00")
//   time.Time       Go's Time.String()
//   []byte, net.IP  standard base64 with padding; nil/empty slices are not written at all
//   struct          one key per field, below the struct's key
//   pointer         the pointee; nil pointers are not written
//   slice           <key> = len-1 (decimal); structs, time and net.IP elements at <key>|<i>...;
//                   primitive elements joined with "|" at <key>~ ; empty slices are not written
//   map             <key> = the map keys sorted (byte order) joined with "|"; entries at <key>|<mapkey>...;
//                   empty maps are not written

import {
  appendToPrefix, calculateKeyFromField, SEPARATOR, UNBOUNDED, type Recursion,
} from './keys.js';
import type { FieldDesc, StructDesc, TypeDesc } from './descriptors.js';
import { GO_ZERO_TIME } from './model.js';

/** Receives one encoded key/value pair. */
export type DataSink = (key: string, value: string) => void;

/**
 * Looks a key up. Returns undefined when the key does not exist; throws (any error) when it exists but cannot be
 * read (e.g. a secret that does not unseal) — the field is then left at its zero value, as in the original.
 */
export type DataSource = (key: string) => string | undefined;

/** Which url.URL fields are written: Go 1.8's (what official VIC 1.5 builds write) or Go 1.19+'s (adds OmitHost, RawFragment). */
export type UrlFieldSet = 'go1.8' | 'go1.19';

export interface EncodeContext {
  readonly urlFieldSet: UrlFieldSet;
}

export interface DecodeContext {
  /** set when a key of a Go-1.19-only url.URL field was present */
  sawGo119UrlFields: boolean;
  /** keys that existed but could not be read (e.g. secrets that did not unseal) */
  readonly errors: Array<{ key: string; error: string }>;
}

// ---------------------------------------------------------------------------------------------------------------
// primitive conversions

/** Go's strconv.FormatFloat(f, 'E', -1, 64) */
export function formatFloatE(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const s = f.toExponential(); // shortest round-trip digits, e.g. "1.5e+0"
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(s);
  if (!m) return s.toUpperCase();
  const exp = m[3]!.length < 2 ? '0' + m[3] : m[3];
  const mant = Object.is(f, -0) ? '-0' : m[1];
  return `${mant}E${m[2]}${exp}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go strconv.ParseInt(s, 10, 64); undefined on error. */
export function parseGoInt(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return undefined;
  return Number(b);
}

/** Go strconv.ParseBool; undefined on error. */
export function parseGoBool(s: string): boolean | undefined {
  switch (s) {
    case '1': case 't': case 'T': case 'TRUE': case 'true': case 'True': return true;
    case '0': case 'f': case 'F': case 'FALSE': case 'false': case 'False': return false;
    default: return undefined;
  }
}

/** Go strconv.ParseFloat(s, 64); undefined on error. */
export function parseGoFloat(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0[xX]/.test(t)) return undefined;
  const n = Number(t);
  return Number.isNaN(n) ? undefined : n;
}

function intString(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot encode ${n} as an integer`);
  return BigInt(Math.trunc(n)).toString();
}

/** Standard base64 with padding (Go base64.StdEncoding). */
export function base64Encode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 decode (Go base64.StdEncoding.DecodeString, which skips CR/LF); throws on bad input. */
export function base64Decode(s: string): Uint8Array {
  const t = s.replace(/[\r\n]/g, '');
  if (!STRICT_BASE64.test(t)) throw new Error(`illegal base64 data: ${JSON.stringify(s.slice(0, 40))}`);
  return new Uint8Array(Buffer.from(t, 'base64'));
}

/** Byte-wise (UTF-8) string order, as Go's sort.Strings. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------------
// zero values

/** The zero value of a type: what a field holds when nothing was decoded for it. */
export function zeroValue(t: TypeDesc): unknown {
  switch (t.kind) {
    case 'string': return '';
    case 'bool': return false;
    case 'int': case 'float': return 0;
    case 'time': return GO_ZERO_TIME;
    case 'bytes': case 'ip': case 'ptr': case 'opaque': return undefined;
    case 'slice': return [];
    case 'map': return {};
    case 'struct': return zeroStruct(t.struct);
  }
}

/** A struct with every modelled field at its zero value. */
export function zeroStruct(s: StructDesc): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of s.fields) {
    if (f.prop === '') continue;
    const z = zeroValue(f.type);
    if (z !== undefined) o[f.prop] = z;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------------------------
// encode

/** Slice elements written one by one at `key|i` (Go: struct kinds, time.Time, net.IP); others are joined at `key~`. */
function isIndexedElem(t: TypeDesc): boolean {
  return t.kind === 'struct' || t.kind === 'time' || t.kind === 'ip';
}

/** Elements the original can join into `key~` (its toString handles only primitive kinds). */
function isPrimitiveElem(t: TypeDesc): boolean {
  return t.kind === 'string' || t.kind === 'bool' || t.kind === 'int' || t.kind === 'float';
}

function primitiveString(t: TypeDesc, v: unknown): string {
  switch (t.kind) {
    case 'string': return String(v ?? '');
    case 'bool': return v ? 'true' : 'false';
    case 'int': return intString(Number(v ?? 0));
    case 'float': return formatFloatE(Number(v ?? 0));
    default: throw new TypeError(`${t.kind} is an unhandled type`);
  }
}

/** Encodes `value` of type `t` under `prefix` (the key computed so far) into `sink`. */
export function encodeValue(ctx: EncodeContext, sink: DataSink, t: TypeDesc, value: unknown, prefix: string, depth: Recursion): void {
  if (depth.depth === 0 || depth.skipEncode) return;
  depth = { ...depth, depth: depth.depth - 1 };
  switch (t.kind) {
    case 'string': case 'bool': case 'int': case 'float':
      sink(prefix, primitiveString(t, value));
      return;
    case 'time':
      sink(prefix, typeof value === 'string' && value !== '' ? value : GO_ZERO_TIME);
      return;
    case 'bytes': case 'ip': {
      const b = value as Uint8Array | undefined;
      if (!b || b.length === 0) return;
      // the original re-enters encode with the base64 string, spending one more recursion level
      encodeValue(ctx, sink, { kind: 'string' }, base64Encode(b), prefix, depth);
      return;
    }
    case 'opaque':
      return;
    case 'ptr':
      if (!depth.follow || value === undefined || value === null) return;
      encodeValue(ctx, sink, t.elem, value, prefix, depth);
      return;
    case 'struct':
      encodeStruct(ctx, sink, t.struct, (value ?? {}) as Record<string, unknown>, prefix, depth);
      return;
    case 'slice': {
      const arr = (value ?? []) as unknown[];
      if (arr.length === 0) return;
      if (isIndexedElem(t.elem)) {
        arr.forEach((el, i) => encodeValue(ctx, sink, t.elem, el, appendToPrefix(prefix, SEPARATOR, String(i)), depth));
      } else if (isPrimitiveElem(t.elem)) {
        sink(appendToPrefix(prefix, '', '~'), arr.map((el) => primitiveString(t.elem, el)).join(SEPARATOR));
      } else {
        // the original panics converting the element, recovers, and writes nothing (not even the length)
        return;
      }
      sink(prefix, String(arr.length - 1));
      return;
    }
    case 'map': {
      const m = (value ?? {}) as Record<string, unknown>;
      const keys = Object.keys(m);
      if (keys.length === 0) return;
      for (const k of keys) encodeValue(ctx, sink, t.elem, m[k], appendToPrefix(prefix, SEPARATOR, k), depth);
      keys.sort(compareGoStrings);
      sink(prefix, keys.join(SEPARATOR));
      return;
    }
  }
}

function fieldActive(ctx: EncodeContext | undefined, f: FieldDesc): boolean {
  return !(f.sinceGo === 'go1.19' && ctx !== undefined && ctx.urlFieldSet === 'go1.8');
}

function encodeStruct(ctx: EncodeContext, sink: DataSink, s: StructDesc, value: Record<string, unknown>, prefix: string, depth: Recursion): void {
  for (const f of s.fields) {
    if (!fieldActive(ctx, f)) continue;
    const { key, depth: fdepth } = calculateKeyFromField(f.go, f.tag, prefix, depth);
    if (key === '') continue;
    encodeValue(ctx, sink, f.type, f.prop === '' ? undefined : value[f.prop], key, fdepth);
  }
}

/** Encodes a whole struct from the root (prefix '', unbounded recursion), like extraconfig.Encode. */
export function encodeRoot(ctx: EncodeContext, sink: DataSink, s: StructDesc, value: unknown, prefix = ''): void {
  encodeValue(ctx, sink, { kind: 'struct', struct: s }, value, prefix, UNBOUNDED);
}

// ---------------------------------------------------------------------------------------------------------------
// decode

const NIL: unique symbol = Symbol('nil');
type Decoded = { v: unknown; notFound: boolean };
const INVALID_NOT_FOUND: Decoded = { v: NIL, notFound: true };
const INVALID_ERROR: Decoded = { v: NIL, notFound: false };

function lookup(ctx: DecodeContext, src: DataSource, key: string): { ok: true; value: string } | { ok: false; missing: boolean } {
  try {
    const v = src(key);
    return v === undefined ? { ok: false, missing: true } : { ok: true, value: v };
  } catch (e) {
    ctx.errors.push({ key, error: e instanceof Error ? e.message : String(e) });
    return { ok: false, missing: false };
  }
}

function fromString(t: TypeDesc, s: string): unknown {
  if (s === '') return zeroValue(t);
  switch (t.kind) {
    case 'string': return s;
    case 'int': return parseGoInt(s) ?? 0;
    case 'bool': return parseGoBool(s) ?? false;
    case 'float': return parseGoFloat(s) ?? 0;
    default: return zeroValue(t);
  }
}

/**
 * Decodes a value of type `t` at `prefix`. Mirrors the original's rules for when a struct or pointer counts as
 * present: a struct is present when at least one of its fields yielded a value from a key that exists (pointers,
 * skipped fields and struct slices always count, as in the original); a nil pointer stays nil when its target is
 * absent.
 */
export function decodeValue(ctx: DecodeContext, src: DataSource, t: TypeDesc, current: unknown, prefix: string, depth: Recursion): Decoded {
  if (depth.depth === 0 || depth.skipDecode) return { v: current, notFound: false };
  depth = { ...depth, depth: depth.depth - 1 };
  switch (t.kind) {
    case 'string': case 'bool': case 'int': case 'float': {
      const r = lookup(ctx, src, prefix);
      if (!r.ok) return r.missing ? INVALID_NOT_FOUND : INVALID_ERROR;
      return { v: fromString(t, r.value), notFound: false };
    }
    case 'time': {
      const r = lookup(ctx, src, prefix);
      if (!r.ok) return r.missing ? INVALID_NOT_FOUND : INVALID_ERROR;
      return { v: r.value === '' ? GO_ZERO_TIME : r.value, notFound: false };
    }
    case 'bytes': case 'ip': {
      const r = lookup(ctx, src, prefix);
      if (!r.ok) return r.missing ? INVALID_NOT_FOUND : INVALID_ERROR;
      try {
        return { v: base64Decode(r.value), notFound: false };
      } catch (e) {
        ctx.errors.push({ key: prefix, error: e instanceof Error ? e.message : String(e) });
        return INVALID_ERROR;
      }
    }
    case 'opaque':
      return { v: current, notFound: false };
    case 'ptr': {
      if (!depth.follow) return { v: current, notFound: false };
      const target = current ?? zeroValue(t.elem);
      const r = decodeValue(ctx, src, t.elem, target, prefix, depth);
      if (r.v === NIL || r.notFound) return { v: current, notFound: false };
      return { v: r.v, notFound: false };
    }
    case 'struct':
      return decodeStruct(ctx, src, t.struct, (current ?? zeroStruct(t.struct)) as Record<string, unknown>, prefix, depth);
    case 'slice': {
      let length = 0;
      const lr = lookup(ctx, src, prefix);
      if (lr.ok && lr.value !== '') length = (parseGoInt(lr.value) ?? 0) + 1;
      if (length < 0) length = 0;
      const out: unknown[] = [];
      const cur = Array.isArray(current) ? current : [];
      if (isIndexedElem(t.elem)) {
        for (let i = 0; i < length; i++) {
          const seed = i < cur.length ? cur[i] : zeroValue(t.elem);
          const r = decodeValue(ctx, src, t.elem, seed, appendToPrefix(prefix, SEPARATOR, String(i)), depth);
          out.push(r.v !== NIL ? r.v : zeroValue(t.elem));
        }
        return { v: out, notFound: false };
      }
      if (!isPrimitiveElem(t.elem)) return { v: out, notFound: true };
      const vr = lookup(ctx, src, appendToPrefix(prefix, '', '~'));
      if (!vr.ok) {
        for (let i = 0; i < length; i++) out.push(zeroValue(t.elem));
        return { v: out, notFound: vr.missing };
      }
      const values = vr.value.split(SEPARATOR);
      // (the original panics when the count promises more values than there are; missing ones are zero here)
      for (let i = 0; i < length; i++) out.push(fromString(t.elem, values[i] ?? ''));
      return { v: out, notFound: false };
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const kr = lookup(ctx, src, prefix);
      if (!kr.ok) return { v: out, notFound: kr.missing };
      if (kr.value === '') return { v: out, notFound: false };
      const cur = (current ?? {}) as Record<string, unknown>;
      for (const k of kr.value.split(SEPARATOR)) {
        const seed = k in cur ? cur[k] : zeroValue(t.elem);
        const r = decodeValue(ctx, src, t.elem, seed, appendToPrefix(prefix, SEPARATOR, k), depth);
        // a nil pointer entry (no data at all for a listed key) is dropped rather than kept as undefined
        if (r.v !== NIL && r.v !== undefined) out[k] = r.v;
      }
      return { v: out, notFound: false };
    }
  }
}

function decodeStruct(ctx: DecodeContext, src: DataSource, s: StructDesc, current: Record<string, unknown>, prefix: string, depth: Recursion): Decoded {
  const out: Record<string, unknown> = { ...current };
  let valid = false;
  let anyFound = false;
  let lastNotFound = false;
  for (const f of s.fields) {
    const { key, depth: fdepth } = calculateKeyFromField(f.go, f.tag, prefix, depth);
    if (key === '') continue;
    const r = decodeValue(ctx, src, f.type, f.prop === '' ? undefined : out[f.prop], key, fdepth);
    lastNotFound = r.notFound;
    if (r.v === NIL) continue;
    if (f.prop !== '') {
      if (r.v === undefined) delete out[f.prop];
      else out[f.prop] = r.v;
    }
    valid = true;
    if (!r.notFound) {
      anyFound = true;
      if (f.sinceGo === 'go1.19' && f.type.kind !== 'opaque') ctx.sawGo119UrlFields = true;
    }
  }
  if (!valid || !anyFound) return { v: NIL, notFound: lastNotFound };
  return { v: out, notFound: false };
}

/** Decodes a whole struct from the root; returns the zero struct when nothing at all was found. */
export function decodeRoot(ctx: DecodeContext, src: DataSource, s: StructDesc, prefix = ''): Record<string, unknown> {
  const r = decodeValue(ctx, src, { kind: 'struct', struct: s }, zeroStruct(s), prefix, UNBOUNDED);
  return r.v === NIL ? zeroStruct(s) : (r.v as Record<string, unknown>);
}

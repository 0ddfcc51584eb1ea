// vim25 XML codec. Requests are written from the schema (elements in schema order, xsi:type where the runtime
// type differs from the declared one or the position is anyType, text escaped). Responses are parsed with
// fast-xml-parser into a neutral tree and then decoded against the schema, so that repeated fields are always
// arrays, numbers and booleans get their types, strings stay strings ("007" stays "007"), and xsi:type is
// honoured under any namespace prefix (vCenter writes xsi:, the simulator another prefix).
import { XMLParser } from 'fast-xml-parser';
import { isPrimitive, typeInfo, type FieldInfo } from './schema.js';
import type { DataObject, MoRef, XsdValue } from './types.js';

// ---------------------------------------------------------------------------------------------------------------
// Encoding

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// XML 1.0 cannot carry most control characters, even escaped; refuse them rather than send a broken request.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function text(v: string): string {
  if (INVALID_XML_CHARS.test(v)) throw new TypeError(`value ${JSON.stringify(v)} contains characters XML cannot carry`);
  return escapeXml(v);
}

function isXsdValue(v: unknown): v is XsdValue {
  return typeof v === 'object' && v !== null && '_xsd' in v;
}

function primitiveText(type: string, v: unknown, where: string): string {
  switch (type) {
    case 'boolean':
      if (typeof v !== 'boolean') throw new TypeError(`${where}: expected boolean, got ${typeof v}`);
      return v ? 'true' : 'false';
    case 'int': case 'long': case 'short': case 'byte':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${where}: expected an integer, got ${String(v)}`);
      return String(v);
    case 'float': case 'double':
      if (typeof v !== 'number') throw new TypeError(`${where}: expected a number, got ${typeof v}`);
      return String(v);
    case 'dateTime':
      if (v instanceof Date) return v.toISOString();
      if (typeof v !== 'string') throw new TypeError(`${where}: expected a date`);
      return text(v);
    default:
      if (typeof v !== 'string') throw new TypeError(`${where}: expected string, got ${typeof v}`);
      return text(v);
  }
}

/** The xsi:type to state for a value in an anyType position. */
function anyTypeName(v: unknown): string {
  if (isXsdValue(v)) return `xsd:${v._xsd}`;
  if (typeof v === 'string') return 'xsd:string';
  if (typeof v === 'boolean') return 'xsd:boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'xsd:int' : 'xsd:double';
  if (v instanceof Date) return 'xsd:dateTime';
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const t = (v as DataObject)._type;
    if (t) return t;
    if ('type' in v && 'value' in v) return 'ManagedObjectReference';
  }
  throw new TypeError(`cannot infer the xsi:type of ${JSON.stringify(v)}; give it a _type`);
}

/** Writes one element (or, for arrays, one per item) for a field of declared type `field.type`. */
export function encodeField(out: string[], field: FieldInfo, value: unknown, where: string): void {
  if (value === undefined || value === null) return;
  if (field.array) {
    if (!Array.isArray(value)) throw new TypeError(`${where}.${field.name}: expected an array`);
    for (const item of value) encodeElement(out, field.name, field.type, item, `${where}.${field.name}[]`);
    return;
  }
  if (Array.isArray(value) && field.type !== 'anyType') throw new TypeError(`${where}.${field.name}: expected one value, got an array`);
  encodeElement(out, field.name, field.type, value, `${where}.${field.name}`);
}

function encodeElement(out: string[], tag: string, declared: string, value: unknown, where: string): void {
  if (declared === 'anyType') {
    if (Array.isArray(value)) throw new TypeError(`${where}: an array in an anyType position needs an ArrayOfX wrapper`);
    const t = anyTypeName(value);
    if (t.startsWith('xsd:')) {
      const v = isXsdValue(value) ? value.value : value;
      out.push(`<${tag} xsi:type="${t}">${primitiveText(t.slice(4), v, where)}</${tag}>`);
      return;
    }
    encodeElementTyped(out, tag, t, value, where, true);
    return;
  }
  if (isPrimitive(declared)) {
    out.push(`<${tag}>${primitiveText(declared, isXsdValue(value) ? value.value : value, where)}</${tag}>`);
    return;
  }
  const runtime = (typeof value === 'object' && value !== null ? (value as DataObject)._type : undefined) ?? declared;
  encodeElementTyped(out, tag, runtime, value, where, runtime !== declared);
}

function encodeElementTyped(out: string[], tag: string, type: string, value: unknown, where: string, withXsiType: boolean): void {
  const xsiType = withXsiType ? ` xsi:type="${type}"` : '';
  if (type === 'ManagedObjectReference') {
    const ref = value as MoRef;
    if (typeof ref?.type !== 'string' || typeof ref?.value !== 'string') throw new TypeError(`${where}: expected a managed object reference`);
    out.push(`<${tag}${xsiType} type="${text(ref.type)}">${text(ref.value)}</${tag}>`);
    return;
  }
  const info = typeInfo(type);
  if (!info) throw new TypeError(`${where}: vim25 type ${type} is not in the schema subset`);
  if (typeof value !== 'object' || value === null) throw new TypeError(`${where}: expected a ${type} object`);
  const obj = value as DataObject;
  for (const key of Object.keys(obj)) {
    if (key !== '_type' && !info.byName.has(key)) throw new TypeError(`${where}: ${type} has no field "${key}"`);
  }
  out.push(`<${tag}${xsiType}>`);
  // ArrayOfX wrappers carry their items under the item type's element name.
  for (const f of info.fields) encodeField(out, f, obj[f.name], `${where}`);
  out.push(`</${tag}>`);
}

/** The SOAP envelope of a method call; `params` in the method's schema order. */
export function encodeRequest(method: string, params: readonly FieldInfo[], args: Record<string, unknown>): string {
  for (const key of Object.keys(args)) {
    if (!params.some((p) => p.name === key)) throw new TypeError(`${method} has no parameter "${key}"`);
  }
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<soapenv:Body><${method} xmlns="urn:vim25">`,
  ];
  for (const p of params) encodeField(out, p, args[p.name], method);
  out.push(`</${method}></soapenv:Body></soapenv:Envelope>`);
  return out.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/** A parsed element: its attributes (prefix kept), its text, and its child elements in document order. */
export interface XmlNode {
  readonly tag: string;
  readonly attrs: Record<string, string>;
  readonly text: string;
  readonly children: XmlNode[];
}

let parser: XMLParser | undefined;
function getParser(): XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    // SOAP never needs a DTD; entity declarations are refused before parsing (see parseXml).
    processEntities: true,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Element names lose their namespace prefix (soapenv:Body → Body); attribute names keep it, so that
    // xsi:type (under whatever prefix) stays distinct from the `type` attribute of a managed object reference.
    transformTagName: (name: string) => localName(name),
  });
  return parser;
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(raw: RawNode): XmlNode | undefined {
  const tag = Object.keys(raw).find((k) => k !== ':@');
  if (!tag || tag === '#text') return undefined;
  const kids = (raw[tag] as RawNode[]) ?? [];
  const children: XmlNode[] = [];
  let txt = '';
  for (const k of kids) {
    if ('#text' in k) txt += String(k['#text']);
    else {
      const n = toNode(k);
      if (n) children.push(n);
    }
  }
  return { tag, attrs: raw[':@'] ?? {}, text: txt, children };
}

export function parseXml(xml: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('refusing an XML document with a DTD');
  const roots = (getParser().parse(xml) as RawNode[]).map(toNode).filter((n): n is XmlNode => !!n);
  if (roots.length !== 1) throw new Error('expected one XML root element');
  return roots[0]!;
}

/** The xsi:type of an element, under any prefix, without its own prefix (xsd:string → string). */
export function xsiTypeOf(node: XmlNode): string | undefined {
  for (const [k, v] of Object.entries(node.attrs)) {
    if (k.endsWith(':type') && k.indexOf(':') > 0 && !k.startsWith('xmlns')) return localName(v);
  }
  return undefined;
}

export function child(node: XmlNode, tag: string): XmlNode | undefined {
  return node.children.find((c) => c.tag === tag);
}

function decodePrimitive(type: string, s: string): unknown {
  switch (type) {
    case 'boolean': return s === 'true' || s === '1';
    case 'int': case 'long': case 'short': case 'byte': case 'unsignedByte': case 'unsignedShort': case 'unsignedInt':
    case 'unsignedLong': case 'integer': case 'float': case 'double': case 'decimal': {
      const n = Number(s);
      return Number.isNaN(n) ? s : n;
    }
    default: return s;
  }
}

const XSD_PRIMITIVES = new Set(['string', 'boolean', 'int', 'long', 'short', 'byte', 'float', 'double', 'dateTime',
  'base64Binary', 'anyURI', 'unsignedByte', 'unsignedShort', 'unsignedInt', 'unsignedLong', 'integer', 'decimal']);

/** Decodes an element whose declared type is `declared` (a vim25 type, a primitive, or anyType). */
export function decodeNode(node: XmlNode, declared: string): unknown {
  const xsi = xsiTypeOf(node);
  const type = xsi ?? declared;
  if (XSD_PRIMITIVES.has(type)) return decodePrimitive(type, node.text);
  if (type === 'ManagedObjectReference') return { type: node.attrs['type'] ?? '', value: node.text } satisfies MoRef;
  if (type.startsWith('ArrayOf')) return decodeArrayOf(node, type);
  const info = typeInfo(type);
  if (!info) {
    // Enumerations (VirtualMachinePowerState, ...) and types outside our subset.
    if (!node.children.length) return node.text;
    return decodeGeneric(node, xsi);
  }
  const obj: DataObject = {};
  if (xsi) obj._type = xsi;
  for (const c of node.children) {
    const f = info.byName.get(c.tag);
    if (!f) {
      // A field newer than our schema: keep it, untyped.
      obj[c.tag] = c.children.length ? decodeGeneric(c, xsiTypeOf(c)) : c.text;
      continue;
    }
    const v = decodeNode(c, f.type);
    if (f.array) ((obj[f.name] as unknown[] | undefined) ?? (obj[f.name] = [] as unknown[]) as unknown[]).push(v);
    else obj[f.name] = v;
  }
  return obj;
}

function decodeArrayOf(node: XmlNode, type: string): unknown[] {
  const info = typeInfo(type);
  const itemType = info?.fields[0]?.type ?? lowerFirst(type.slice('ArrayOf'.length));
  return node.children.map((c) => decodeNode(c, itemType));
}

function lowerFirst(s: string): string {
  const prim = s.charAt(0).toLowerCase() + s.slice(1);
  return XSD_PRIMITIVES.has(prim) ? prim : s;
}

/** Types outside our subset: child elements become fields, repeated ones arrays, leaves strings. */
function decodeGeneric(node: XmlNode, xsi?: string): DataObject {
  const obj: DataObject = {};
  if (xsi) obj._type = xsi;
  for (const c of node.children) {
    const v = c.children.length ? decodeGeneric(c, xsiTypeOf(c)) : c.text;
    const prev = obj[c.tag];
    if (prev === undefined) obj[c.tag] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else obj[c.tag] = [prev, v];
  }
  return obj;
}

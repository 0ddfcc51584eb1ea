// A small checker of JSON values against the Swagger 2.0 schemas of the served spec: type, properties, items, enum,
// pattern, format ipv4, $ref, allOf, min/maxProperties, x-nullable. Written here rather than added as a dependency:
// the spec uses a dozen keywords of Swagger 2.0's JSON-schema dialect (which differs from the drafts the well-kept
// validators target: x-nullable, no `null` type), and this is all it takes to check them.
// Extra properties are allowed (the spec never forbids them), but `strict` reports properties the schema does not
// declare: the test of a 1.5 shape uses it to show every field we send is in the spec (1.5's, or an extension).
import { isIPv4 } from 'node:net';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function resolveRef(spec: Schema, ref: string): Schema {
  const parts = ref.replace(/^#\//, '').split('/');
  let s: Schema = spec;
  for (const p of parts) s = s?.[p];
  if (!s) throw new Error(`unresolved $ref ${ref}`);
  return s;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function checkSchema(spec: Schema, schema: Schema, value: unknown, where = '$', o: { strict?: boolean } = {}): string[] {
  if (schema['$ref']) return checkSchema(spec, resolveRef(spec, schema['$ref']), value, where, o);
  const errors: string[] = [];
  if (value === null) return schema['x-nullable'] ? [] : [`${where}: null where ${schema['type'] ?? 'a value'} is expected`];
  for (const sub of schema['allOf'] ?? []) errors.push(...checkSchema(spec, sub, value, where, { ...o, strict: false }));
  const t = schema['type'];
  if (t) {
    const actual = typeOf(value);
    const ok = actual === t || (t === 'number' && actual === 'integer');
    if (!ok) return [...errors, `${where}: ${actual} where ${t} is expected`];
  }
  if (schema['enum'] && !schema['enum'].includes(value)) errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema['enum'])}`);
  if (typeof value === 'string') {
    if (schema['pattern'] && !new RegExp(schema['pattern']).test(value)) errors.push(`${where}: ${JSON.stringify(value)} does not match ${schema['pattern']}`);
    if (schema['format'] === 'ipv4' && !isIPv4(value)) errors.push(`${where}: ${JSON.stringify(value)} is not an IPv4 address`);
  }
  if (Array.isArray(value) && schema['items']) value.forEach((v, i) => errors.push(...checkSchema(spec, schema['items'], v, `${where}[${i}]`, o)));
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    const n = Object.keys(obj).length;
    if (schema['minProperties'] !== undefined && n < schema['minProperties']) errors.push(`${where}: ${n} properties, at least ${schema['minProperties']} expected`);
    if (schema['maxProperties'] !== undefined && n > schema['maxProperties']) errors.push(`${where}: ${n} properties, at most ${schema['maxProperties']} expected`);
    const props: Schema = { ...Object.fromEntries((schema['allOf'] ?? []).flatMap((s: Schema) => Object.entries((s['$ref'] ? resolveRef(spec, s['$ref']) : s)['properties'] ?? {}))), ...schema['properties'] };
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...checkSchema(spec, props[k], v, `${where}.${k}`, o));
      else if (o.strict && schema['properties']) errors.push(`${where}.${k}: not in the schema`);
    }
    for (const r of schema['required'] ?? []) if (!(r in obj)) errors.push(`${where}.${r}: required`);
  }
  return errors;
}

/** The schema of an operation's response for a status (or its default). */
export function responseSchema(spec: Schema, path: string, method: string, status: number): Schema | undefined {
  const op = spec['paths'][path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not in the spec`);
  let r = op['responses'][String(status)] ?? op['responses']['default'];
  if (!r) return undefined;
  if (r['$ref']) r = resolveRef(spec, r['$ref']);
  return r['schema'];
}

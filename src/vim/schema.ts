// Typed access to the vim25 schema facts in schema.generated.ts: each data type's fields in schema order
// (inherited fields first, as the server expects), and each method's parameters and return type.
import { METHODS, TYPES } from './schema.generated.js';

export interface FieldInfo {
  readonly name: string;
  /** vim25 type name, or an XML Schema primitive: string, boolean, int, long, short, byte, float, double, dateTime, base64Binary, anyType */
  readonly type: string;
  readonly array: boolean;
}

export interface TypeInfo {
  readonly name: string;
  readonly base: string | undefined;
  /** all fields, inherited ones first, in schema order */
  readonly fields: readonly FieldInfo[];
  readonly byName: ReadonlyMap<string, FieldInfo>;
}

export interface MethodInfo {
  readonly name: string;
  readonly params: readonly FieldInfo[];
  readonly returns: FieldInfo | undefined;
}

const PRIMITIVES = new Set([
  'string', 'boolean', 'int', 'long', 'short', 'byte', 'float', 'double', 'dateTime', 'base64Binary', 'anyType',
]);

export function isPrimitive(type: string): boolean {
  return PRIMITIVES.has(type);
}

function parseFields(spec: string): FieldInfo[] {
  if (!spec) return [];
  return spec.split(' ').map((f) => {
    const i = f.indexOf(':');
    const raw = f.slice(i + 1);
    const array = raw.endsWith('[]');
    return { name: f.slice(0, i), type: array ? raw.slice(0, -2) : raw, array };
  });
}

const typeCache = new Map<string, TypeInfo | null>();

/** The schema of a data type, or undefined when the type is not in our subset of vim25. */
export function typeInfo(name: string): TypeInfo | undefined {
  const cached = typeCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  const entry = TYPES[name];
  if (!entry) {
    typeCache.set(name, null);
    return undefined;
  }
  const [base, spec] = entry;
  const inherited = base ? (typeInfo(base)?.fields ?? []) : [];
  const fields = [...inherited, ...parseFields(spec)];
  const info: TypeInfo = {
    name,
    base: base || undefined,
    fields,
    byName: new Map(fields.map((f) => [f.name, f])),
  };
  typeCache.set(name, info);
  return info;
}

/** True when `type` is `ancestor` or derives from it. */
export function isSubtypeOf(type: string, ancestor: string): boolean {
  for (let t: string | undefined = type; t; t = typeInfo(t)?.base) {
    if (t === ancestor) return true;
  }
  return false;
}

export function methodInfo(name: string): MethodInfo {
  const entry = METHODS[name];
  if (!entry) throw new Error(`vim25 method ${name} is not in the schema subset (scripts/gen-vim-schema.mjs)`);
  const [params, returns] = entry;
  const ret = returns ? parseFields(`returnval:${returns}`)[0] : undefined;
  return { name, params: parseFields(params), returns: ret };
}

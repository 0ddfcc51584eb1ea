// The JavaScript shapes of vim25 values, as the codec reads and writes them.
//
// - A data object is a plain object whose keys are the schema's field names. `_type` names its runtime type
//   when that differs from the declared type (it becomes xsi:type on the wire), and is always set on decoded
//   objects whose element carried xsi:type.
// - A managed object reference is {type, value}.
// - Repeated fields are arrays; ArrayOfX values (in anyType positions) decode to plain arrays.
// - Primitives decode to string, number (int, long, short, byte, float, double) or boolean; dateTime and
//   base64Binary stay strings, so nothing is lost.

export interface MoRef {
  readonly type: string;
  readonly value: string;
}

export type DataObject = { _type?: string } & { [field: string]: unknown };

/** A primitive value in an anyType position whose XML Schema type must be stated explicitly. */
export interface XsdValue {
  readonly _xsd: 'string' | 'boolean' | 'int' | 'long' | 'short' | 'byte' | 'float' | 'double' | 'dateTime';
  readonly value: string | number | boolean;
}

export function moRef(type: string, value: string): MoRef {
  return { type, value };
}

export function isMoRef(v: unknown): v is MoRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('_type' in v) &&
    typeof (v as MoRef).type === 'string' && typeof (v as MoRef).value === 'string' && Object.keys(v).length === 2;
}

/** `VirtualMachine:vm-42` — the form govc prints and accepts. */
export function moRefString(ref: MoRef): string {
  return `${ref.type}:${ref.value}`;
}

export function sameMoRef(a: MoRef | undefined, b: MoRef | undefined): boolean {
  return !!a && !!b && a.type === b.type && a.value === b.value;
}

export interface OptionValue {
  readonly key: string;
  readonly value: unknown;
}

export interface LocalizedMethodFault {
  readonly fault: DataObject;
  readonly localizedMessage?: string;
}

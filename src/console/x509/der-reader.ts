// Just enough DER reading to take a SubjectPublicKeyInfo apart (the key identifier hashes its BIT STRING's bytes).
import type { Bytes } from './der.js';

export interface Element {
  tag: number;
  /** the content octets */
  content: Bytes;
  /** the whole encoding, tag and length included */
  encoding: Bytes;
}

/** The element at `at` of `b`. */
export function readElement(b: Bytes, at = 0): Element {
  const tag = b[at];
  let len = b[at + 1];
  if (tag === undefined || len === undefined) throw new Error('DER: truncated');
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: unsupported length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i]!;
    start += n;
  }
  if (start + len > b.length) throw new Error('DER: truncated');
  return { tag, content: b.subarray(start, start + len), encoding: b.subarray(at, start + len) };
}

/** The elements of a constructed element's content, in order. */
export function children(content: Bytes): Element[] {
  const out: Element[] = [];
  for (let at = 0; at < content.length;) {
    const e = readElement(content, at);
    out.push(e);
    at += e.encoding.length;
  }
  return out;
}

// PEM armour (RFC 7468): base64 of the DER in lines of 64, between BEGIN and END lines. btoa exists in browsers and
// in Node 20, so this runs in both.
import type { Bytes } from './der.js';

export function pem(label: string, der: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < der.length; i += 0x8000) bin += String.fromCharCode(...der.subarray(i, i + 0x8000));
  const b64 = btoa(bin);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** The DER of the first block of `label` in a PEM text. */
export function derOf(text: string, label: string): Bytes {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`no ${label} in the PEM text`);
  const bin = atob(m[1]!.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

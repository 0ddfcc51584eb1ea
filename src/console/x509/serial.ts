// A certificate's serial number: 128 random bits, positive, as the CLI's (src/vic/certificates/build.ts): the top bit
// clear (no sign byte needed) and the next one set (no leading zero byte), so it is always 16 bytes in DER.
import type { Bytes } from './der.js';

export function randomSerial(): Bytes {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b;
}

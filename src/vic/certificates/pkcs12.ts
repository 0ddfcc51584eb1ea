/**
 * PKCS#12 (`cert.pfx`) built with Node's crypto primitives (RFC 7292), equivalent to what vic-machine 1.5 made with
 * `openssl pkcs12 -export -inkey key.pem -in cert.pem -certfile ca.pem -password pass:`:
 *  - the private key as a pkcs8ShroudedKeyBag, pbeWithSHAAnd3-KeyTripleDES-CBC (3DES: imports on old Windows and
 *    macOS key stores, hence "browser friendly");
 *  - the client certificate and CA certificate(s) as CertBags (unencrypted, as forge does);
 *  - localKeyId (SHA-1 of the client certificate) on the key and the client certificate, optional friendlyName;
 *  - an HMAC-SHA1 MAC; password '' by default, 2048 iterations.
 * node-forge's PKCS#12 code runs its KDF and 3DES in JavaScript (20–50 ms of blocked event loop); here the
 * primitives are native and the KDF yields to the event loop between rounds.
 */
import { createCipheriv, createHash, createHmac, createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';

// ---- minimal DER encoder ----------------------------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(content.length), content]);
}
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const explicit0 = (b: Buffer): Buffer => tlv(0xa0, b);
const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
function integer(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}
function bmpString(s: string): Buffer {
  const b = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16BE(s.charCodeAt(i), i * 2);
  return tlv(0x1e, b);
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

// ---- RFC 7292 appendix B key derivation (SHA-1, u = 20, v = 64) -------------------------------------------------

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Password as BMPString bytes with the two-byte terminator ('' → 00 00, as OpenSSL and forge). */
function bmpPassword(password: string): Buffer {
  const b = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) b.writeUInt16BE(password.charCodeAt(i), i * 2);
  return b;
}

function fill(src: Buffer, v: number): Buffer {
  if (src.length === 0) return Buffer.alloc(0);
  const out = Buffer.alloc(v * Math.ceil(src.length / v));
  for (let i = 0; i < out.length; i++) out[i] = src[i % src.length]!;
  return out;
}

/** PKCS#12 KDF; yields to the event loop every `chunk` hash iterations. */
export async function pkcs12Kdf(password: string, salt: Buffer, id: 1 | 2 | 3, iterations: number, n: number, chunk = 256): Promise<Buffer> {
  const u = 20;
  const v = 64;
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt, v), fill(bmpPassword(password), v)]);
  const c = Math.ceil(n / u);
  const out: Buffer[] = [];
  for (let i = 0; i < c; i++) {
    let A = createHash('sha1').update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) {
      A = createHash('sha1').update(A).digest();
      if (r % chunk === 0) await yieldToLoop();
    }
    out.push(A);
    if (i + 1 < c) {
      const B = fill(A, v);
      for (let j = 0; j < I.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = I[j + k]! + B[k]! + carry;
          I[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
  }
  return Buffer.concat(out).subarray(0, n);
}

// ---- PFX --------------------------------------------------------------------------------------------------------

export interface Pkcs12Options {
  /** Default '' (the original's `-password pass:`). */
  password?: string;
  friendlyName?: string;
  /** KDF/MAC iterations; default 2048 (OpenSSL's and forge's default). */
  iterations?: number;
}

function certDer(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}

function attributes(localKeyId: Buffer | undefined, friendlyName: string | undefined): Buffer | undefined {
  const attrs: Buffer[] = [];
  if (friendlyName) attrs.push(seq(oid(OID.friendlyName), set(bmpString(friendlyName))));
  if (localKeyId) attrs.push(seq(oid(OID.localKeyId), set(octets(localKeyId))));
  return attrs.length > 0 ? set(...attrs) : undefined;
}

function safeBag(bagId: string, value: Buffer, attrs: Buffer | undefined): Buffer {
  return attrs ? seq(oid(bagId), explicit0(value), attrs) : seq(oid(bagId), explicit0(value));
}

const dataContentInfo = (content: Buffer): Buffer => seq(oid(OID.data), explicit0(octets(content)));

/** DER of a PKCS#12 PFX holding `keyPem` (any format Node reads), `certPem` and `caPems`. */
export async function buildPkcs12(keyPem: string, certPem: string, caPems: readonly string[], options: Pkcs12Options = {}): Promise<Buffer> {
  const password = options.password ?? '';
  const iterations = options.iterations ?? 2048;
  const leaf = certDer(certPem);
  const localKeyId = createHash('sha1').update(leaf).digest();

  // Certificates: leaf (with localKeyId + friendlyName), then CAs.
  const certBags = [
    safeBag(OID.certBag, seq(oid(OID.x509Certificate), explicit0(octets(leaf))), attributes(localKeyId, options.friendlyName)),
    ...caPems.map((p) => safeBag(OID.certBag, seq(oid(OID.x509Certificate), explicit0(octets(certDer(p)))), undefined)),
  ];

  // Key: PKCS#8 PrivateKeyInfo encrypted with pbeWithSHAAnd3-KeyTripleDES-CBC.
  const pkcs8 = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const keySalt = randomBytes(8);
  const desKey = await pkcs12Kdf(password, keySalt, 1, iterations, 24);
  const iv = await pkcs12Kdf(password, keySalt, 2, iterations, 8);
  const cipher = createCipheriv('des-ede3-cbc', desKey, iv);
  const encrypted = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const shrouded = seq(seq(oid(OID.pbeSha3Des), seq(octets(keySalt), integer(iterations))), octets(encrypted));
  const keyBag = safeBag(OID.shroudedKeyBag, shrouded, attributes(localKeyId, options.friendlyName));

  const authSafe = seq(dataContentInfo(seq(...certBags)), dataContentInfo(seq(keyBag)));

  const macSalt = randomBytes(8);
  const macKey = await pkcs12Kdf(password, macSalt, 3, iterations, 20);
  const mac = createHmac('sha1', macKey).update(authSafe).digest();
  const macData = seq(seq(seq(oid(OID.sha1), nullValue()), octets(mac)), octets(macSalt), integer(iterations));

  return seq(integer(3), dataContentInfo(authSafe), macData);
}

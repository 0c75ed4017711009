import { createPublicKey, generateKeyPair, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { certifyForeignKey, type KeyAlgorithm, type KeyedCertificate } from './certificate-factory.js';
import { bitString, bitStringBytes, children, derOfPem, encodeDer, parseDer, pemOf, sequence, type Asn1 } from './der.js';

/**
 * Certificate signing requests (RFC 2986) as a station sends them in SignCertificateRequest
 * (A02.FR.03, A03.FR.03), checked the way OCPP 2.0.1 Part 2 wants the certificate that comes of them:
 * CN the station's identity and O its operator (A00.FR.509, A00.FR.511), a key of at least 2048
 * bits RSA or 224 bits elliptic curve (A00.FR.501–503), and a signature that the request's own key
 * verifies (the proof that the station holds the private key, which never leaves it: A02.FR.05).
 */
export interface CertificateSigningRequest {
  /** The subject Name as the station wrote it, certified unchanged. */
  subject: Asn1;
  commonName?: string;
  organization?: string;
  publicKey: KeyObject;
}

/** What a CSR must name: the station it comes from and its operator. */
export interface CsrExpectation {
  commonName?: string;
  organization?: string;
}

/** Why a CSR is refused, with the requirement it breaks; `InvalidCSR` is the reason code OCPP lists for it. */
export interface CsrProblem {
  reason: string;
  requirement: string;
}

export type CsrCheck = { ok: true; request: CertificateSigningRequest } | ({ ok: false } & CsrProblem);

const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp224r1: 224, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp192r1: 192, prime192v1: 192 };

const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';

/** Reads and checks a PEM CSR; the first problem found refuses it. */
export function checkCsr(csrPem: string, expected: CsrExpectation = {}): CsrCheck {
  const parsed = parseCsr(csrPem);
  if (!parsed) return { ok: false, reason: 'not a PEM encoded PKCS#10 certificate signing request', requirement: 'A02.FR.03' };
  const { info, algorithmOid, signature, request } = parsed;
  const hash = SIGNATURE_HASHES[algorithmOid];
  if (!hash) return { ok: false, reason: `signature algorithm ${algorithmOid} is not RSA or ECDSA with SHA-2`, requirement: 'A00.FR.504' };
  if (!verifies(hash, info, request.publicKey, signature)) return { ok: false, reason: 'the signature does not verify with the request\'s own public key', requirement: 'A02.FR.03' };
  const keyProblem = weakKey(request.publicKey);
  if (keyProblem) return { ok: false, ...keyProblem };
  if (expected.commonName !== undefined && request.commonName !== expected.commonName) {
    return { ok: false, reason: `subject CN is ${quoted(request.commonName)}, not the station's identity "${expected.commonName}"`, requirement: 'A00.FR.511' };
  }
  if (expected.organization !== undefined && request.organization !== expected.organization) {
    return { ok: false, reason: `subject O is ${quoted(request.organization)}, not the operator "${expected.organization}"`, requirement: 'A00.FR.509' };
  }
  return { ok: true, request };
}

/** The certificate the issuer gives a checked CSR: its subject and key, a leaf signed by `issuer`. */
export function signCsr(request: CertificateSigningRequest, issuer: KeyedCertificate, validity: { notBefore?: Date; notAfter?: Date } = {}): string {
  return certifyForeignKey({ issuer, subject: request.subject, ...validity }, request.publicKey);
}

/**
 * A CSR with a new key, as a station makes one (A02.FR.02/03); the private key is returned to the
 * caller that plays the station. `signWith` signs with another key (a CSR whose signature fails).
 */
export function createCsr(subject: CsrSubject, keyAlgorithm: KeyAlgorithm = 'RSA-2048', signWith?: KeyObject): { csrPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = keyAlgorithm === 'ECDSA-P256'
    ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    : generateKeyPairSync('rsa', { modulusLength: keyAlgorithm === 'RSA-1024' ? 1024 : 2048 });
  return csrOf(subject, publicKey, privateKey, signWith);
}

/**
 * createCsr with an RSA-2048 key generated off the event loop: a station that shares its process
 * with others (the built-in reference beside the harness) keeps answering while the key is made.
 */
export async function createCsrInBackground(subject: CsrSubject): Promise<{ csrPem: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 });
  return csrOf(subject, publicKey, privateKey);
}

/** The subject a CSR names: CN the station identity, O its operator. */
export interface CsrSubject { commonName: string; organization?: string }

const generateKeyPairAsync = promisify(generateKeyPair);

function csrOf(subject: CsrSubject, publicKey: KeyObject, privateKey: KeyObject, signWith?: KeyObject): { csrPem: string; privateKeyPem: string } {
  const certificate = forge.pki.createCertificate();
  certificate.setSubject([{ name: 'commonName', value: subject.commonName }, ...(subject.organization === undefined ? [] : [{ name: 'organizationName', value: subject.organization }])]);
  const { asn1 } = forge;
  const info = sequence([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, '\u0000'),
    forge.pki.distinguishedNameToAsn1(certificate.subject),
    parseDer(publicKey.export({ type: 'spki', format: 'der' })),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, []),
  ]);
  const signer = signWith ?? privateKey;
  const ecdsa = signer.asymmetricKeyType === 'ec';
  const algorithm = sequence([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ecdsa ? '1.2.840.10045.4.3.2' : '1.2.840.113549.1.1.11').getBytes()),
    ...(ecdsa ? [] : [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]),
  ]);
  const signature = sign('sha256', encodeDer(info), signer);
  return {
    csrPem: pemOf('CERTIFICATE REQUEST', encodeDer(sequence([info, algorithm, bitString(signature)]))),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function parseCsr(csrPem: string): { info: Buffer; algorithmOid: string; signature: Buffer; request: CertificateSigningRequest } | undefined {
  try {
    if (!/-----BEGIN (NEW )?CERTIFICATE REQUEST-----/.test(csrPem)) return undefined;
    const [info, algorithm, signature] = children(parseDer(derOfPem(csrPem)));
    const [, subject, subjectPublicKeyInfo] = children(info);
    const oid = children(algorithm)[0];
    if (!info || !subject || !subjectPublicKeyInfo || !oid || !signature) return undefined;
    const publicKey = createPublicKey({ key: encodeDer(subjectPublicKeyInfo), format: 'der', type: 'spki' });
    const commonName = attribute(subject, OID_COMMON_NAME);
    const organization = attribute(subject, OID_ORGANIZATION);
    return {
      info: encodeDer(info),
      algorithmOid: forge.asn1.derToOid(oid.value as string),
      signature: bitStringBytes(signature),
      request: { subject, publicKey, ...(commonName === undefined ? {} : { commonName }), ...(organization === undefined ? {} : { organization }) },
    };
  } catch {
    return undefined;
  }
}

/** The first value of an attribute in a Name (SEQUENCE of SETs of type-value SEQUENCEs). */
function attribute(name: Asn1, oid: string): string | undefined {
  for (const set of children(name)) {
    for (const pair of children(set)) {
      const [type, value] = children(pair);
      if (type && value && forge.asn1.derToOid(type.value as string) === oid) return forge.util.decodeUtf8(value.value as string);
    }
  }
  return undefined;
}

function verifies(hash: string, info: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  try {
    return verify(hash, info, publicKey, signature);
  } catch {
    return false;
  }
}

/** A00.FR.501–503: RSA of at least 2048 bits, an elliptic curve of at least 224; no other key type. */
function weakKey(publicKey: KeyObject): CsrProblem | undefined {
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (publicKey.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return bits >= 2048 ? undefined : { reason: `RSA key of ${bits} bits, fewer than 2048`, requirement: 'A00.FR.502' };
  }
  if (publicKey.asymmetricKeyType === 'ec') {
    const bits = CURVE_BITS[details.namedCurve ?? ''] ?? 0;
    return bits >= 224 ? undefined : { reason: `elliptic curve key on ${details.namedCurve ?? 'an unknown curve'}, fewer than 224 bits`, requirement: 'A00.FR.503' };
  }
  return { reason: `a ${publicKey.asymmetricKeyType ?? 'unknown'} key, neither RSA nor elliptic curve`, requirement: 'A00.FR.501' };
}

function quoted(value: string | undefined): string {
  return value === undefined ? 'missing' : `"${value}"`;
}

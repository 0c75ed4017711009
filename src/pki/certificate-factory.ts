import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';
import { bitString, bitStringBytes, certificateFields, children, encodeDer, parseDer, pemOf, sequence, type Asn1 } from './der.js';

/** A certificate and its private key, both PEM. */
export interface KeyedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * The key families OCPP 2.0.1 names (A00.FR.502: RSA of at least 2048 bits; A00.FR.503: elliptic
 * curves of at least 224 bits). `RSA-1024` exists only to issue the "too short a key" variant.
 */
export const KEY_ALGORITHMS = ['RSA-2048', 'ECDSA-P256', 'RSA-1024'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** X.509 key usage bits (RFC 5280 §4.2.1.3) as forge names them. */
export type KeyUsage = 'digitalSignature' | 'keyEncipherment' | 'dataEncipherment' | 'keyAgreement' | 'keyCertSign' | 'cRLSign';

export interface CertificateRequest {
  commonName: string;
  /** The O RDN of the subject, the certificate owner's organisation (A00.FR.509); by default the test PKI's. */
  organization?: string;
  /** Signs the new certificate; absent: the certificate signs itself (a root). */
  issuer?: KeyedCertificate;
  /** A CA may issue certificates (basicConstraints cA). Roots always are. */
  isCa?: boolean;
  /** Validity window; by default from one hour ago for ten years. */
  notBefore?: Date;
  notAfter?: Date;
  /**
   * A TLS server certificate for these host names and IP addresses: subjectAltName entries (DNS
   * names, IPv4 and IPv6 addresses) and extKeyUsage serverAuth. Only for leaves.
   */
  serverHosts?: readonly string[];
  /** The key of the new certificate; RSA-2048 by default. */
  keyAlgorithm?: KeyAlgorithm;
  /** Replaces the key usage a CA or a leaf gets by default (to issue a certificate with the wrong one). */
  keyUsage?: readonly KeyUsage[];
}

export const TEST_PKI_ORGANIZATION = 'ocpp-harness test PKI';
const HOUR_MS = 3_600_000;
const TEN_YEARS_MS = 10 * 365 * 24 * HOUR_MS;

/**
 * Issues a certificate with a new key pair. Keys come from Node's native crypto (an RSA-2048 key
 * costs tens of milliseconds), private keys are PKCS#8 PEM.
 */
export function issueCertificate(request: CertificateRequest): KeyedCertificate {
  const { publicKey, privateKey } = newKeyPair(request.keyAlgorithm ?? 'RSA-2048');
  const certificatePem = certifyPublicKey(request, publicKey, privateKey);
  return { certificatePem, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * A certificate for a public key whose private key the harness never sees: a station's CSR
 * (A02.FR.05). `subject` is the DER Name to certify as it is (the CSR's own); the issuer signs.
 */
export function certifyForeignKey(request: Omit<CertificateRequest, 'keyAlgorithm' | 'commonName' | 'organization'> & { issuer: KeyedCertificate; subject: Asn1 }, publicKey: KeyObject): string {
  return certifyPublicKey({ ...request, commonName: '' }, publicKey, undefined, request.subject);
}

function newKeyPair(algorithm: KeyAlgorithm): { publicKey: KeyObject; privateKey: KeyObject } {
  if (algorithm === 'ECDSA-P256') return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return generateKeyPairSync('rsa', { modulusLength: algorithm === 'RSA-1024' ? 1024 : 2048 });
}

function certifyPublicKey(request: CertificateRequest, publicKey: KeyObject, ownPrivateKey: KeyObject | undefined, givenSubject?: Asn1): string {
  const subjectPublicKeyInfo = parseDer(publicKey.export({ type: 'spki', format: 'der' }));
  const subject = givenSubject ?? distinguishedName(request.commonName, request.organization ?? TEST_PKI_ORGANIZATION);
  const isRoot = request.issuer === undefined;
  const isCa = isRoot || request.isCa === true;
  const signingKey = request.issuer ? request.issuer.privateKeyPem : ownPrivateKey;
  if (!signingKey) throw new Error('a root certificate needs its own private key');
  const algorithm = signatureAlgorithm(createPublicKey(signingKey));
  const now = Date.now();
  const tbs = sequence([
    forge.asn1.create(forge.asn1.Class.CONTEXT_SPECIFIC, 0, true, [integer(Buffer.from([2]))]), // v3
    integer(randomSerialNumber()),
    algorithm.identifier(),
    request.issuer ? certificateFields(request.issuer.certificatePem).subject : subject,
    sequence([time(request.notBefore ?? new Date(now - HOUR_MS)), time(request.notAfter ?? new Date(now + TEN_YEARS_MS))]),
    subject,
    subjectPublicKeyInfo,
    extensions(request, isCa, subjectPublicKeyInfo, publicKey.asymmetricKeyType === 'ec'), // the explicit [3] around them comes with them
  ]);
  const tbsDer = encodeDer(tbs);
  const signature = sign('sha256', tbsDer, signingKey);
  return pemOf('CERTIFICATE', encodeDer(sequence([tbs, algorithm.identifier(), bitString(signature)])));
}

/** The subject or issuer Name: CN and O (A00.FR.509–511). */
export function distinguishedName(commonName: string, organization: string): Asn1 {
  const certificate = forge.pki.createCertificate();
  certificate.setSubject([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: organization }]);
  return forge.pki.distinguishedNameToAsn1(certificate.subject);
}

function extensions(request: CertificateRequest, isCa: boolean, subjectPublicKeyInfo: Asn1, ellipticCurve: boolean): Asn1 {
  const server = !isCa && request.serverHosts !== undefined && request.serverHosts.length > 0 ? request.serverHosts : undefined;
  const usage = request.keyUsage ?? (isCa ? ['keyCertSign', 'cRLSign', 'digitalSignature'] : leafUsage(ellipticCurve));
  // RFC 5280 §4.2.1.2 method 1: the SHA-1 of the subjectPublicKey bits.
  const keyIdentifier = createHash('sha1').update(bitStringBytes(children(subjectPublicKeyInfo)[1]!)).digest();
  const holder = forge.pki.createCertificate();
  holder.setExtensions([
    { name: 'basicConstraints', cA: isCa, critical: true },
    { name: 'keyUsage', ...Object.fromEntries(usage.map((bit) => [bit, true])), critical: true },
    // Given as its encoded value: forge would derive it from an RSA key only.
    { name: 'subjectKeyIdentifier', value: forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OCTETSTRING, false, keyIdentifier.toString('binary')) },
    ...(server ? [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: server.map(altName) }] : []),
  ]);
  // forge's typings leave out the encoder it uses itself for certificates.
  return (forge.pki as unknown as { certificateExtensionsToAsn1(all: unknown[]): Asn1 }).certificateExtensionsToAsn1(holder.extensions);
}

// An ECDSA key signs (ECDHE handshakes) but cannot encipher a key transport: RSA leaves may do both.
function leafUsage(ellipticCurve: boolean): KeyUsage[] {
  return ellipticCurve ? ['digitalSignature', 'keyAgreement'] : ['digitalSignature', 'keyEncipherment'];
}

const OIDS = { sha256WithRSAEncryption: '1.2.840.113549.1.1.11', ecdsaWithSHA256: '1.2.840.10045.4.3.2' };

/** How the issuer's key signs: SHA-256 with RSA (NULL parameters) or ECDSA (no parameters, RFC 5758 §3.2). */
function signatureAlgorithm(issuerKey: KeyObject): { identifier: () => Asn1 } {
  const ecdsa = issuerKey.asymmetricKeyType === 'ec';
  return {
    identifier: () => sequence([
      forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(ecdsa ? OIDS.ecdsaWithSHA256 : OIDS.sha256WithRSAEncryption).getBytes()),
      ...(ecdsa ? [] : [forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.NULL, false, '')]),
    ]),
  };
}

function integer(bytes: Buffer): Asn1 {
  return forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.INTEGER, false, bytes.toString('binary'));
}

// RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
function time(date: Date): Asn1 {
  const { asn1 } = forge;
  return date.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

// RFC 5280 §4.2.1.6: an IP address is an iPAddress entry (type 7), anything else a dNSName (type 2).
function altName(host: string): { type: number; ip?: string; value?: string } {
  return isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host };
}

// RFC 5280 §4.1.2.2: a positive integer of at most 20 octets; a first byte below 0x80 keeps it positive.
function randomSerialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes;
}


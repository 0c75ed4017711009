import forge from 'node-forge';

/**
 * Reading and writing X.509 structures field by field with node-forge's ASN.1 codec. forge's
 * certificate objects only know RSA keys; walking the ASN.1 ourselves handles RSA and ECDSA alike
 * (OCPP 2.0.1 A00.FR.502/503 allow both families), with Node's crypto doing the key operations.
 */
export type Asn1 = forge.asn1.Asn1;

const { asn1 } = forge;

/** The DER inside the first PEM block of `pem` (a certificate or a certificate request). */
export function derOfPem(pem: string): Buffer {
  const block = forge.pem.decode(pem)[0];
  if (!block) throw new Error('no PEM block');
  return Buffer.from(block.body, 'binary');
}

export function pemOf(type: 'CERTIFICATE' | 'CERTIFICATE REQUEST', der: Buffer): string {
  return forge.pem.encode({ type, body: der.toString('binary') }, { maxline: 64 });
}

/** Parses DER, leaving BIT STRINGs as bytes (forge would otherwise try to read them as ASN.1). */
export function parseDer(der: Buffer): Asn1 {
  // forge's typings know only the older boolean form of the options.
  return (asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: { decodeBitStrings: boolean }) => Asn1)(forge.util.createBuffer(der.toString('binary')), { decodeBitStrings: false });
}

export function encodeDer(node: Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

export function sequence(children: Asn1[]): Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, children);
}

export function bitString(bytes: Buffer): Asn1 {
  // The first content octet counts the unused bits of the last one: none for signatures.
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${bytes.toString('binary')}`);
}

/** The bytes of a BIT STRING node without its unused-bits octet. */
export function bitStringBytes(node: Asn1): Buffer {
  return Buffer.from((node.value as string).slice(1), 'binary');
}

export function children(node: Asn1 | undefined): Asn1[] {
  return Array.isArray(node?.value) ? node.value : [];
}

/** The fields of a certificate's tbsCertificate that the PKI reads (RFC 5280 §4.1). */
export interface CertificateFields {
  issuer: Asn1;
  subject: Asn1;
  subjectPublicKeyInfo: Asn1;
}

export function certificateFields(certificatePem: string): CertificateFields {
  const tbs = children(children(parseDer(derOfPem(certificatePem)))[0]);
  // version is an explicit [0] that a v1 certificate leaves out.
  const first = tbs[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const [issuer, , subject, subjectPublicKeyInfo] = tbs.slice(first + 2);
  if (!issuer || !subject || !subjectPublicKeyInfo) throw new Error('not a certificate');
  return { issuer, subject, subjectPublicKeyInfo };
}

import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { issueCertificate, type CertificateRequest, type KeyAlgorithm, type KeyedCertificate } from './certificate-factory.js';
import { INVALID_CERTIFICATE_VARIANTS, spoilRequest } from './invalid-certificates.js';
import { openTestPki } from './pki-directory.js';
import type { TestCertificateName, TestPki } from './test-pki.js';
import { validityOf } from './verification.js';

/**
 * A lab's test PKI in a folder (`ocpp-harness certs init|show|issue`): the roots a lab installs
 * on its devices, the CSMS server and station certificates of both key families OCPP 2.0.1 names
 * (RSA-2048 and ECDSA P-256, A00.FR.502/503), the firmware signing certificate, and invalid
 * variants for the negative cases. Each certificate is `<name>.pem`, its key `<name>.key.pem` with
 * mode 0600. The roots are those of the run's test PKI (`run --pki DIR` and `simulate --pki DIR`
 * use the same folder), so a device that trusts them trusts every run.
 */
export interface LabPkiOptions {
  /** Host names or addresses the CSMS is reached by, besides 127.0.0.1 and localhost. */
  hosts?: readonly string[];
  /** Station identities, each the CN of a station certificate (A00.FR.511); CS001 by default. */
  stations?: readonly string[];
  /** The O of station certificates, the operator (A00.FR.509, SecurityCtrlr.OrganizationName). */
  operator?: string;
}

export interface LabFile {
  name: string;
  path: string;
  /** `kept`: the file was there already (a root installed on devices is never replaced). */
  status: 'issued' | 'kept';
}

/** A lab PKI that cannot serve the request (a user's mistake: exit code 2, one line). */
export class LabPkiError extends Error {
  readonly code = 'OH_PKI';
}

export const DEFAULT_OPERATOR = 'ocpp-harness test CSO';
const DEFAULT_STATION = 'CS001';
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'];
const LAB_ROOTS: TestCertificateName[] = ['csmsRoot', 'csmsRootEcdsa', 'v2gRoot', 'manufacturerRoot', 'firmwareSigning', 'unknownRoot'];

/** The two key families, each issued by the CSMS root of its own family. */
const FAMILIES = [
  { suffix: '', root: 'csmsRoot', keyAlgorithm: 'RSA-2048' },
  { suffix: '-ecdsa', root: 'csmsRootEcdsa', keyAlgorithm: 'ECDSA-P256' },
] as const satisfies ReadonlyArray<{ suffix: string; root: TestCertificateName; keyAlgorithm: KeyAlgorithm }>;


/**
 * Creates the lab PKI in `directory`, or completes it: what is there is kept, what is missing is
 * issued. Returns every file with what happened to it.
 */
export function initLabPki(directory: string, options: LabPkiOptions = {}): LabFile[] {
  const pki = openLabPki(directory);
  const files = LAB_ROOTS.map((name) => {
    const status = existsSync(join(directory, `${name}.pem`)) ? 'kept' : 'issued';
    pki.certificate(name);
    return { name, path: join(directory, `${name}.pem`), status } satisfies LabFile;
  });
  const station = options.stations?.[0] ?? DEFAULT_STATION;
  const leaves: Array<[string, () => CertificateRequest]> = [];
  for (const family of FAMILIES) {
    leaves.push([`csmsServer${family.suffix}`, () => serverRequest(pki, options.hosts ?? [], family)]);
    for (const identity of options.stations ?? [DEFAULT_STATION]) leaves.push([`station-${identity}${family.suffix}`, () => stationRequest(pki, identity, options.operator, family)]);
  }
  for (const variant of INVALID_CERTIFICATE_VARIANTS) {
    leaves.push([`invalid-server-${variant}`, () => spoilRequest(variant, serverRequest(pki, options.hosts ?? [], FAMILIES[0]), pki)]);
    leaves.push([`invalid-station-${variant}`, () => spoilRequest(variant, stationRequest(pki, station, options.operator, FAMILIES[0]), pki)]);
  }
  return [...files, ...leaves.map(([name, request]) => writeLeaf(directory, name, request, false))];
}

/** Issues one more station or CSMS server certificate from the lab's roots (`certs issue`). */
export function issueLabCertificate(directory: string, what: { kind: 'station'; identity: string; operator?: string } | { kind: 'server'; hosts: readonly string[] }, keyAlgorithm: 'RSA-2048' | 'ECDSA-P256' = 'RSA-2048', overwrite = false): LabFile {
  if (!existsSync(join(directory, 'csmsRoot.pem'))) throw new LabPkiError(`${directory}: no lab PKI there (csmsRoot.pem is missing); create it with "ocpp-harness certs init ${directory}"`);
  const pki = openLabPki(directory);
  const family = FAMILIES.find((candidate) => candidate.keyAlgorithm === keyAlgorithm)!;
  if (what.kind === 'station') return writeLeaf(directory, `station-${what.identity}${family.suffix}`, () => stationRequest(pki, what.identity, what.operator, family), overwrite);
  return writeLeaf(directory, `csmsServer-${what.hosts[0] ?? 'localhost'}${family.suffix}`, () => serverRequest(pki, what.hosts, family), overwrite);
}

/** One certificate of a lab PKI as `certs show` lists it; never its key, only whether there is one. */
export interface LabCertificateInfo {
  file: string;
  purpose: string;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  state: 'valid' | 'expired' | 'not yet valid';
  key: string;
  sha256: string;
  /** The key file beside it, and its permission bits (0600 expected). */
  keyFile?: { name: string; mode: string };
}

export function describeLabPki(directory: string, now = new Date()): LabCertificateInfo[] {
  const names = readdirSync(directory).filter((file) => file.endsWith('.pem') && !file.endsWith('.key.pem')).sort(byPurpose);
  return names.map((file) => {
    const certificate = new X509Certificate(readFileSync(join(directory, file)));
    const { notBefore, notAfter } = validityOf(certificate);
    const keyName = file.replace(/\.pem$/, '.key.pem');
    const keyPath = join(directory, keyName);
    return {
      file,
      purpose: purposeOf(file.replace(/\.pem$/, '')),
      subject: oneLine(certificate.subject),
      issuer: oneLine(certificate.issuer),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      state: now < notBefore ? 'not yet valid' : now > notAfter ? 'expired' : 'valid',
      key: keyDescription(certificate),
      sha256: certificate.fingerprint256,
      ...(existsSync(keyPath) ? { keyFile: { name: keyName, mode: (statSync(keyPath).mode & 0o777).toString(8).padStart(4, '0') } } : {}),
    };
  });
}

function openLabPki(directory: string): TestPki {
  mkdirSync(directory, { recursive: true });
  return openTestPki(directory);
}

function serverRequest(pki: TestPki, hosts: readonly string[], family: (typeof FAMILIES)[number]): CertificateRequest {
  const all = [...new Set([...hosts, ...LOOPBACK_HOSTS])];
  // A00.FR.510: the CN is the CSMS's FQDN; the loopback names ride along as subjectAltName.
  return { commonName: all[0]!, serverHosts: all, issuer: pki.certificate(family.root), keyAlgorithm: family.keyAlgorithm };
}

function stationRequest(pki: TestPki, identity: string, operator: string | undefined, family: (typeof FAMILIES)[number]): CertificateRequest {
  // A00.FR.509/511: CN the station's identity, O its operator; no extended key usage (A00.FR.514).
  return { commonName: identity, organization: operator ?? DEFAULT_OPERATOR, issuer: pki.certificate(family.root), keyAlgorithm: family.keyAlgorithm };
}

function writeLeaf(directory: string, name: string, request: () => CertificateRequest, overwrite: boolean): LabFile {
  const path = join(directory, `${name}.pem`);
  if (existsSync(path) && !overwrite) return { name, path, status: 'kept' };
  writeKeyed(directory, name, issueCertificate(request()));
  return { name, path, status: 'issued' };
}

function writeKeyed(directory: string, name: string, issued: KeyedCertificate): void {
  writeFileSync(join(directory, `${name}.key.pem`), issued.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(directory, `${name}.pem`), issued.certificatePem);
}

const ROOT_PURPOSES: Record<string, string> = {
  csmsRoot: 'CSMS root (RSA): install on the station as its CSMSRootCertificate',
  csmsRootEcdsa: 'CSMS root (ECDSA P-256): install on the station as its CSMSRootCertificate',
  csmsRoot2: 'second CSMS root (the "new CSMS" of TC_B_50_CS)',
  v2gRoot: 'V2G root (ISO 15118 certificates)',
  moRoot: 'MO root (ISO 15118 contract certificates)',
  manufacturerRoot: 'manufacturer root: install on the station as its ManufacturerRootCertificate (firmware)',
  manufacturerRoot2: 'second manufacturer root',
  firmwareSigning: 'firmware signing certificate (issued by the manufacturer root)',
  unknownRoot: 'unknown root: never install it (it issues the "unknown CA" variants)',
  untrustedFirmwareSigning: 'firmware signing certificate of the unknown root (untrusted)',
  expiredRoot: 'an expired root',
};

/** What a file of the lab PKI is for, read from its name. */
function purposeOf(name: string): string {
  const root = ROOT_PURPOSES[name];
  if (root) return root;
  const invalid = /^invalid-(server|station)-(.+)$/.exec(name);
  if (invalid) return `invalid ${invalid[1] === 'server' ? 'CSMS server' : 'station'} certificate (${invalid[2]!.replace(/-/g, ' ')}): for negative tests`;
  const family = name.endsWith('-ecdsa') ? 'ECDSA P-256' : 'RSA';
  if (name.startsWith('csmsServer')) return `CSMS server certificate (${family}): TLS server at security profiles 2 and 3`;
  if (name.startsWith('station-')) return `station certificate (${family}): TLS client at security profile 3`;
  if (name.includes('-server')) return 'CSMS server certificate of a run';
  return 'certificate';
}

// Roots first, then valid leaves, then the invalid variants.
function byPurpose(a: string, b: string): number {
  const rank = (file: string) => (ROOT_PURPOSES[file.replace(/\.pem$/, '')] ? 0 : file.startsWith('invalid-') ? 2 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function keyDescription(certificate: X509Certificate): string {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details.modulusLength ?? '?'} bits`;
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${details.namedCurve === 'prime256v1' ? 'P-256' : details.namedCurve ?? '?'}`;
  return key.asymmetricKeyType ?? 'unknown';
}

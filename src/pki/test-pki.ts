import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, type KeyAlgorithm, type KeyedCertificate } from './certificate-factory.js';
import { certificateHashData, type CertificateHashData, type HashAlgorithm } from './hash-data.js';
import { signData } from './verification.js';

const YEAR_MS = 365 * 24 * 3_600_000;

/**
 * The certificates of the harness's test PKI. Roots sign themselves; a leaf names its issuer.
 * `unknownRoot` is never installed anywhere: what it issues is untrusted, its hash data matches no
 * installed certificate.
 */
const TEST_CERTIFICATES = {
  csmsRoot: { commonName: 'ocpp-harness CSMS Root 1' },
  csmsRoot2: { commonName: 'ocpp-harness CSMS Root 2' },
  // The ECDSA branch of the CSO hierarchy: A00.FR.421 has the CSMS serve both families of cipher suites.
  csmsRootEcdsa: { commonName: 'ocpp-harness CSMS Root ECDSA', keyAlgorithm: 'ECDSA-P256' },
  manufacturerRoot: { commonName: 'ocpp-harness Manufacturer Root' },
  manufacturerRoot2: { commonName: 'ocpp-harness Manufacturer Root 2' },
  v2gRoot: { commonName: 'ocpp-harness V2G Root' },
  moRoot: { commonName: 'ocpp-harness MO Root' },
  unknownRoot: { commonName: 'ocpp-harness Unknown Root' },
  expiredRoot: { commonName: 'ocpp-harness Expired Root', validFromYearsAgo: 2, validForYears: 1 },
  firmwareSigning: { commonName: 'ocpp-harness Firmware Signing', issuer: 'manufacturerRoot' },
  untrustedFirmwareSigning: { commonName: 'ocpp-harness Untrusted Firmware Signing', issuer: 'unknownRoot' },
} as const satisfies Record<string, CertificateSpec<string>>;

interface CertificateSpec<Name> { commonName: string; issuer?: Name; validFromYearsAgo?: number; validForYears?: number; keyAlgorithm?: KeyAlgorithm }

export type TestCertificateName = keyof typeof TEST_CERTIFICATES;

/** The certificate that issued this one; undefined for a root. */
export function issuerOf(name: TestCertificateName): TestCertificateName | undefined {
  return specOf(name).issuer;
}

function specOf(name: TestCertificateName): CertificateSpec<TestCertificateName> {
  return TEST_CERTIFICATES[name] as CertificateSpec<TestCertificateName>;
}
export const TEST_CERTIFICATE_NAMES = Object.keys(TEST_CERTIFICATES) as TestCertificateName[];

/** The names templates read under `pki.` besides the certificates (`pki.firmwareSignature`). */
export const PKI_SIGNATURE_NAMES = ['firmwareSignature', 'invalidFirmwareSignature', 'uninstallableFirmwareSignature'] as const;

/** The roots that issue the harness's TLS server certificates (Part 6's CSMS Root 1 and Root 2). */
export type ServerCertificateRoot = 'csmsRoot' | 'csmsRoot2' | 'csmsRootEcdsa';

/**
 * One certificate as test cases see it: `{{pki.csmsRoot.pem}}`, `{{pki.csmsRoot.hashData}}` (SHA256),
 * and its hash data in the other algorithms of HashAlgorithmEnumType (`hashDataSHA384`,
 * `hashDataSHA512`): TC_M_20_CSMS deletes a certificate by each.
 */
export interface CertificateView {
  pem: string;
  hashData: CertificateHashData;
  hashDataSHA384: CertificateHashData;
  hashDataSHA512: CertificateHashData;
}

/**
 * The hidden (non-enumerable, never serialised) way from a CertificateView to its certificate and
 * private key, for the template helper that signs a CSR with it (`{{signCsr captured.csr pki.csmsRoot}}`).
 */
export const ISSUING_KEY = Symbol('issuing key');

/** The certificate and key behind a `pki.<certificate>` view, or undefined for any other value. */
export function issuingKeyOf(view: unknown): KeyedCertificate | undefined {
  const issuing = typeof view === 'object' && view !== null ? (view as { [ISSUING_KEY]?: () => KeyedCertificate })[ISSUING_KEY] : undefined;
  return issuing?.();
}

/** The fields of a CertificateView, as templates name them after `pki.<certificate>.`. */
export const CERTIFICATE_VIEW_FIELDS = ['pem', 'hashData', 'hashDataSHA384', 'hashDataSHA512'] as const;

/** Where a TestPki finds certificates issued before, and who hears of the ones it issues. */
export interface TestPkiOptions {
  /** A certificate issued before (a lab's kept PKI, see openTestPki), read when first needed. */
  load?: (name: TestCertificateName) => KeyedCertificate | undefined;
  onIssued?: (name: TestCertificateName, issued: KeyedCertificate) => void;
}

/**
 * A run's test PKI, generated at run time and never committed. Each certificate is issued on first
 * use (an RSA key costs tens of milliseconds), so a run that reads no certificate pays nothing.
 */
export class TestPki {
  readonly #issued = new Map<TestCertificateName, KeyedCertificate>();
  /** Server certificates by root and hosts, each with the file name writeCertificates gives it; issued per run, never loaded. */
  readonly #servers = new Map<string, { name: string; issued: KeyedCertificate }>();
  readonly #options: TestPkiOptions;

  constructor(options: TestPkiOptions = {}) {
    this.#options = options;
  }

  certificate(name: TestCertificateName): KeyedCertificate {
    const known = this.#issued.get(name) ?? this.#options.load?.(name);
    if (known) {
      this.#issued.set(name, known);
      return known;
    }
    const spec = specOf(name);
    const notBefore = spec.validFromYearsAgo === undefined ? undefined : new Date(Date.now() - spec.validFromYearsAgo * YEAR_MS);
    const notAfter = notBefore && spec.validForYears !== undefined ? new Date(notBefore.getTime() + spec.validForYears * YEAR_MS) : undefined;
    const issued = issueCertificate({
      commonName: spec.commonName,
      ...(spec.issuer ? { issuer: this.certificate(spec.issuer) } : {}),
      ...(notBefore ? { notBefore } : {}),
      ...(notAfter ? { notAfter } : {}),
      ...(spec.keyAlgorithm ? { keyAlgorithm: spec.keyAlgorithm } : {}),
    });
    this.#issued.set(name, issued);
    this.#options.onIssued?.(name, issued);
    return issued;
  }

  /**
   * A TLS server certificate issued by `root` for `hosts` (host names and IP addresses, the first
   * also its commonName: A00.FR.309), one per root and hosts. The harness's CSMS serves it under
   * security profiles 2 and 3.
   */
  serverCertificate(root: ServerCertificateRoot, hosts: readonly string[]): KeyedCertificate {
    if (hosts.length === 0) throw new Error('a server certificate needs at least one host');
    const key = `${root} ${hosts.join(' ')}`;
    const known = this.#servers.get(key);
    if (known) return known.issued;
    // The leaf has its root's key family: an ECDSA root serves the ECDHE_ECDSA suites (A00.FR.421).
    const keyAlgorithm = specOf(root).keyAlgorithm;
    const issued = issueCertificate({ commonName: hosts[0]!, issuer: this.certificate(root), serverHosts: hosts, ...(keyAlgorithm ? { keyAlgorithm } : {}) });
    const sameRoot = [...this.#servers.keys()].filter((other) => other.startsWith(`${root} `)).length;
    this.#servers.set(key, { name: `${root}-server${sameRoot === 0 ? '' : `-${sameRoot + 1}`}`, issued });
    return issued;
  }

  hashData(name: TestCertificateName, algorithm: HashAlgorithm = 'SHA256'): CertificateHashData {
    const issuer = specOf(name).issuer;
    const issuerPem = issuer ? this.certificate(issuer).certificatePem : undefined;
    return certificateHashData(this.certificate(name).certificatePem, issuerPem, algorithm);
  }

  /**
   * What templates read as `pki.*`: every certificate (`pem`, `hashData` and its SHA384 and SHA512
   * forms), the firmware image's signature by `firmwareSigning` (`firmwareSignature`) and by a key
   * that did not sign it (`invalidFirmwareSignature`), and the uninstallable image's signature by
   * `firmwareSigning` (`uninstallableFirmwareSignature`). Properties are getters: reading one issues what it needs.
   */
  templateView(firmwareImage: Uint8Array, uninstallableFirmwareImage: Uint8Array): Record<string, unknown> {
    const view: Record<string, unknown> = {};
    for (const name of TEST_CERTIFICATE_NAMES) {
      let cached: CertificateView | undefined;
      Object.defineProperty(view, name, {
        enumerable: true,
        get: () => (cached ??= Object.defineProperty({
          pem: this.certificate(name).certificatePem,
          hashData: this.hashData(name),
          hashDataSHA384: this.hashData(name, 'SHA384'),
          hashDataSHA512: this.hashData(name, 'SHA512'),
        }, ISSUING_KEY, { value: () => this.certificate(name) })),
      });
    }
    const signatures: Record<(typeof PKI_SIGNATURE_NAMES)[number], () => string> = {
      firmwareSignature: () => signData(firmwareImage, this.certificate('firmwareSigning').privateKeyPem),
      invalidFirmwareSignature: () => signData(firmwareImage, this.certificate('untrustedFirmwareSigning').privateKeyPem),
      uninstallableFirmwareSignature: () => signData(uninstallableFirmwareImage, this.certificate('firmwareSigning').privateKeyPem),
    };
    for (const [name, sign] of Object.entries(signatures)) {
      let cached: string | undefined;
      Object.defineProperty(view, name, { enumerable: true, get: () => (cached ??= sign()) });
    }
    return view;
  }

  /**
   * Writes every certificate issued so far as `<name>.pem`, server certificates as
   * `<root>-server.pem` (`<root>-server-2.pem`, ... for further host lists). Certificates only:
   * the folder is a run's output, shared as a report, and a private key never goes there
   * (keys stay in memory, or in the `--pki` folder with mode 0600).
   */
  writeCertificates(directory: string): string[] {
    const all: Array<[string, KeyedCertificate]> = [...this.#issued, ...[...this.#servers.values()].map(({ name, issued }): [string, KeyedCertificate] => [name, issued])];
    if (all.length === 0) return [];
    mkdirSync(directory, { recursive: true });
    return all.map(([name, issued]) => {
      const certificatePath = join(directory, `${name}.pem`);
      writeFileSync(certificatePath, issued.certificatePem);
      return certificatePath;
    });
  }
}

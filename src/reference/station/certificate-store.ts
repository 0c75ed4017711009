import { certificateHashData, sameCertificate, type CertificateHashData, type HashAlgorithm } from '../../pki/index.js';

/** A certificate the station holds, under its OCPP certificate type (e.g. CSMSRootCertificate). */
export interface InstalledCertificate {
  certificateType: string;
  pem: string;
}

/**
 * The station's installed certificates (M03-M05, L01). It survives reboots: the store lives in the
 * station object, not in its connection. Policy (what may be installed or deleted) belongs to the
 * message handlers; the store only keeps, finds and removes.
 */
export class CertificateStore {
  readonly #certificates: InstalledCertificate[];

  constructor(initial: readonly InstalledCertificate[] = []) {
    this.#certificates = initial.map((certificate) => ({ ...certificate }));
  }

  /** Adds a certificate; one that is already installed under the same type is not added twice. */
  install(certificate: InstalledCertificate): void {
    const known = this.#certificates.some((installed) => installed.certificateType === certificate.certificateType && installed.pem.trim() === certificate.pem.trim());
    if (!known) this.#certificates.push({ ...certificate });
  }

  /** The certificates of these types (all of them when `types` is empty or absent), in install order. */
  ofTypes(types: readonly string[] = []): InstalledCertificate[] {
    return this.#certificates.filter((certificate) => types.length === 0 || types.includes(certificate.certificateType));
  }

  /** The installed certificate these hash data name, if any. */
  find(hashData: CertificateHashData): InstalledCertificate | undefined {
    return this.#certificates.find((certificate) => sameCertificate(hashDataOf(certificate, hashData.hashAlgorithm), hashData));
  }

  /** Removes the certificate these hash data name; false when none matches. */
  remove(hashData: CertificateHashData): boolean {
    const found = this.find(hashData);
    if (!found) return false;
    this.#certificates.splice(this.#certificates.indexOf(found), 1);
    return true;
  }
}

/**
 * The hash data of an installed certificate. InstallCertificate installs roots only (M05), and a
 * root is its own issuer; a chain installed by CertificateSigned will need its issuer here.
 */
export function hashDataOf(certificate: InstalledCertificate, hashAlgorithm: HashAlgorithm = 'SHA256'): CertificateHashData {
  return certificateHashData(certificate.pem, certificate.pem, hashAlgorithm);
}

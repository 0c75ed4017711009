import { certificateProblem, rootCertificateProblem, type CertificateHashData } from '../../pki/index.js';
import { hashDataOf, type InstalledCertificate } from './certificate-store.js';
import type { StationContext } from './context.js';
import { rootOfServerCertificate } from './csms-trust.js';

/** How many certificates the reference station holds at most (2.0.1 SecurityCtrlr.CertificateEntries maxLimit, 1.6 CertificateStoreMaxLength). */
export const CERTIFICATE_ENTRIES_MAX = 10;

/** What differs between the versions' certificate management (2.0.1 M03-M05, 1.6 security whitepaper M03-M05). */
export interface CertificatePolicy {
  /** The type the CSMS's roots are installed under: CSMSRootCertificate (2.0.1), CentralSystemRootCertificate (1.6). */
  csmsRootType: string;
  /** AdditionalRootCertificateCheck: a new CSMS root must be signed by the one it replaces. */
  additionalRootCheck: () => boolean;
  /** The station's own certificates, which DeleteCertificate may not remove (2.0.1 M04.FR.06). */
  ownTypes: readonly string[];
  /** 1.6 M04.FR.06: the CSMS root that verified the current connection may not be deleted. */
  keepRootInUse: boolean;
}

/** How an InstallCertificate ends; a rejection names its reason (2.0.1 statusInfo; 1.6 has none). */
export type InstallOutcome = { status: 'Accepted' } | { status: 'Rejected'; reasonCode: 'InvalidCertificate' | 'OutOfStorage'; additionalInfo: string };

/** How a DeleteCertificate ends. */
export type DeleteOutcome = { status: 'Accepted' | 'NotFound' } | { status: 'Failed'; reasonCode: string };

/**
 * Certificate management of the reference station over its certificate store, as both versions
 * define it: InstallCertificate (M05), GetInstalledCertificateIds (M03) and DeleteCertificate (M04).
 * The store never fails to write, so an install never fails (2.0.1 M05.FR.03, 1.6 M05.FR.04) and a
 * delete fails only for what may not be deleted. The version drivers turn the outcomes into replies.
 */
export class CertificateManagement {
  /**
   * 2.0.1 M05.FR.12, 1.6 M05.FR.11: the CSMS root a new one replaced under
   * AdditionalRootCertificateCheck, kept as a fallback until the station connected again with the
   * new one (2.0.1 M05.FR.13, 1.6 M05.FR.12).
   */
  #fallback: InstalledCertificate | undefined;
  /** The CSMS roots `removeCsmsRoots` took away, until `restoreCsmsRoots`. */
  readonly #removedRoots: InstalledCertificate[] = [];
  /** Over TLS, the CSMS's server certificate the station accepted for its current connection. */
  #serverCertificate: string | undefined;

  constructor(private readonly context: StationContext, private readonly policy: CertificatePolicy) {}

  /** The number of installed certificates. */
  get entries(): number {
    return this.context.state.certificates.ofTypes().length;
  }

  /** InstallCertificate (M05). */
  install(certificateType: string, pem: string): InstallOutcome {
    const { certificates } = this.context.state;
    const certificate: InstalledCertificate = { certificateType, pem };
    // 2.0.1 M05.FR.07, 1.6 M05.FR.06: an unreadable or out-of-date certificate is invalid.
    const problem = rootCertificateProblem(certificate.pem, this.context.now());
    const overlooked = problem !== 'unreadable' && this.context.hasFault('accept-invalid-certificate');
    if (problem && !overlooked) return rejected('InvalidCertificate', problem);
    const installed = certificates.ofTypes([certificate.certificateType]);
    // 2.0.1 M05.FR.17: one already present is replaced by itself.
    if (installed.some((known) => samePem(known, certificate))) return { status: 'Accepted' };
    // 2.0.1 M05.FR.06, 1.6 M05.FR.03: never more than the store holds.
    if (this.entries >= CERTIFICATE_ENTRIES_MAX) return rejected('OutOfStorage', `at most ${CERTIFICATE_ENTRIES_MAX} certificates`);
    if (certificate.certificateType === this.policy.csmsRootType && this.policy.additionalRootCheck()) {
      const current = installed.filter((known) => known !== this.#fallback);
      // 2.0.1 M05.FR.10/11, 1.6 M05.FR.09/10: the new CSMS root must be signed by the one it replaces.
      if (current.length > 0 && certificateProblem(certificate.pem, current.map((known) => known.pem), this.context.now()) !== undefined) {
        return rejected('InvalidCertificate', 'not signed by the installed CSMS root (AdditionalRootCertificateCheck)');
      }
      // One CSMS root at a time, plus the replaced one as a fallback.
      if (this.#fallback) certificates.remove(hashDataOf(this.#fallback));
      this.#fallback = current[0];
    }
    // behaviour:install-wrong-type keeps it under the other root type (a CSMS root as a manufacturer root and back).
    const kept = this.context.hasFault('install-wrong-type') ? { ...certificate, certificateType: this.#otherRootType(certificate.certificateType) } : certificate;
    if (!this.context.hasFault('install-not-kept')) certificates.install(kept);
    return { status: 'Accepted' };
  }

  /**
   * GetInstalledCertificateIds (M03): the installed certificates of the asked types (all of them
   * when none is asked), or what the type faults make of the request.
   */
  matching(asked: readonly string[] | undefined): InstalledCertificate[] {
    const { certificates } = this.context.state;
    if (this.context.hasFault('ignore-certificate-type')) return certificates.ofTypes();
    if (asked === undefined) return this.context.hasFault('omitted-type-matches-nothing') ? [] : certificates.ofTypes();
    return certificates.ofTypes(this.context.hasFault('first-certificate-type-only') ? asked.slice(0, 1) : asked);
  }

  /** The hash data of a certificate as the station reports them (`behaviour:wrong-certificate-hash`: the serial number in decimal). */
  reported(certificate: InstalledCertificate): CertificateHashData {
    const hashData = hashDataOf(certificate);
    if (!this.context.hasFault('wrong-certificate-hash')) return hashData;
    return { ...hashData, serialNumber: BigInt(`0x${hashData.serialNumber}`).toString(10) };
  }

  /** DeleteCertificate (M04), by hash data in any of the OCPP hash algorithms. */
  delete(hashData: CertificateHashData): DeleteOutcome {
    const { certificates } = this.context.state;
    const found = certificates.find(hashData);
    // M04.FR.04.
    if (!found) return { status: this.context.hasFault('delete-unknown-accepted') ? 'Accepted' : 'NotFound' };
    // 2.0.1 M04.FR.06 (1.6 M04.FR.05): the station's own certificate is not deleted this way.
    if (this.policy.ownTypes.includes(found.certificateType)) return { status: 'Failed', reasonCode: 'UnsupportedRequest' };
    // 1.6 M04.FR.06: nor the CSMS root the current connection was verified with.
    if (this.policy.keepRootInUse && this.#rootInUse() === found) return { status: 'Failed', reasonCode: 'InUse' };
    // M04.FR.02.
    if (!this.context.hasFault('delete-not-removed')) certificates.remove(hashData);
    if (found === this.#fallback) this.#fallback = undefined;
    return { status: 'Accepted' };
  }

  /**
   * Device action `removeCsmsRoots` (TC_A_20_CS's precondition, Part 5 AQ-1): the CSMS roots go by
   * other means than OCPP, kept aside for `restoreCsmsRoots`, which installs them again.
   */
  removeCsmsRoots(): void {
    const { certificates } = this.context.state;
    for (const root of certificates.ofTypes([this.policy.csmsRootType])) {
      certificates.remove(hashDataOf(root));
      this.#removedRoots.push(root);
    }
  }

  restoreCsmsRoots(): void {
    for (const root of this.#removedRoots.splice(0)) this.context.state.certificates.install(root);
  }

  /** The station connected; over TLS it accepted this server certificate (undefined over plain ws). */
  connectedWith(serverCertificatePem: string | undefined): void {
    this.#serverCertificate = serverCertificatePem;
  }

  /**
   * 2.0.1 M05.FR.13 (1.6 M05.FR.12): connected and accepted again after a CSMS root replacement, so
   * the fallback root goes, unless the connection's server certificate chains to the fallback alone
   * (the new root did not verify it). Over plain ws no root verifies anything: the new
   * configuration counts as working.
   */
  onConnected(): void {
    if (!this.#fallback) return;
    if (this.#serverCertificate !== undefined) {
      const root = this.#rootInUse();
      if (!root || samePem(root, this.#fallback)) return;
    }
    this.context.state.certificates.remove(hashDataOf(this.#fallback));
    this.#fallback = undefined;
  }

  #rootInUse(): InstalledCertificate | undefined {
    if (this.#serverCertificate === undefined) return undefined;
    return rootOfServerCertificate(this.context.state.certificates, this.#serverCertificate, this.context.now());
  }

  #otherRootType(certificateType: string): string {
    return certificateType === this.policy.csmsRootType ? 'ManufacturerRootCertificate' : this.policy.csmsRootType;
  }
}

function rejected(reasonCode: 'InvalidCertificate' | 'OutOfStorage', additionalInfo: string): InstallOutcome {
  return { status: 'Rejected', reasonCode, additionalInfo };
}

function samePem(a: InstalledCertificate, b: InstalledCertificate): boolean {
  return a.pem.trim() === b.pem.trim();
}

import { certificateProblem, rootCertificateProblem, type CertificateHashData } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import { hashDataOf, type InstalledCertificate } from '../certificate-store.js';
import type { StationContext } from '../context.js';
import { rootOfServerCertificate } from '../csms-trust.js';
import type { DeviceModel } from './device-model.js';

/** SecurityCtrlr.CertificateEntries maxLimit: how many certificates the station holds at most (M05.FR.06). */
export const CERTIFICATE_ENTRIES_MAX = 10;

const CSMS_ROOT = 'CSMSRootCertificate';
/** The station's own certificates (use case A), which DeleteCertificate may not remove (M04.FR.06). */
const OWN_CERTIFICATE_TYPES = new Set(['ChargingStationCertificate', 'V2GCertificate']);

const rejected = (reasonCode: string, additionalInfo?: string): CallReply => ({ payload: { status: 'Rejected', statusInfo: { reasonCode, ...(additionalInfo ? { additionalInfo } : {}) } } });

/**
 * Certificate management of the reference station: InstallCertificate (M05),
 * GetInstalledCertificateIds (M03) and DeleteCertificate (M04) over the station's certificate store.
 * The store never fails to write, so InstallCertificate never answers Failed (M05.FR.03) and
 * DeleteCertificate answers Failed only for the station's own certificates (M04.FR.06).
 */
export class CertificateManagement {
  /**
   * M05.FR.12: the CSMS root a new one replaced under AdditionalRootCertificateCheck, kept as a
   * fallback until the station connected again with the new one (M05.FR.13).
   */
  #fallback: InstalledCertificate | undefined;
  /** The CSMS roots `removeCsmsRoots` took away, until `restoreCsmsRoots`. */
  readonly #removedRoots: InstalledCertificate[] = [];
  /** Over TLS, the CSMS's server certificate the station accepted for its current connection. */
  #serverCertificate: string | undefined;

  constructor(private readonly context: StationContext, private readonly model: DeviceModel) {}

  /** The number of installed certificates (SecurityCtrlr.CertificateEntries). */
  get entries(): number {
    return this.context.state.certificates.ofTypes().length;
  }

  /** InstallCertificate (M05). */
  install(payload: Payload): CallReply {
    const { certificates } = this.context.state;
    const certificate: InstalledCertificate = { certificateType: String(payload['certificateType']), pem: String(payload['certificate']) };
    // M05.FR.07: an unreadable or out-of-date certificate is invalid.
    const problem = rootCertificateProblem(certificate.pem, this.context.now());
    const overlooked = problem !== 'unreadable' && this.context.hasFault('accept-invalid-certificate');
    if (problem && !overlooked) return rejected('InvalidCertificate', problem);
    const installed = certificates.ofTypes([certificate.certificateType]);
    // M05.FR.17: one already present is replaced by itself.
    if (installed.some((known) => samePem(known, certificate))) return { payload: { status: 'Accepted' } };
    // M05.FR.06: never more than CertificateEntries.maxLimit certificates.
    if (this.entries >= CERTIFICATE_ENTRIES_MAX) return rejected('OutOfStorage', `at most ${CERTIFICATE_ENTRIES_MAX} certificates`);
    if (certificate.certificateType === CSMS_ROOT && this.model.flag('SecurityCtrlr', 'AdditionalRootCertificateCheck')) {
      const current = installed.filter((known) => known !== this.#fallback);
      // M05.FR.10/11: the new CSMS root must be signed by the one it replaces.
      if (current.length > 0 && certificateProblem(certificate.pem, current.map((known) => known.pem), this.context.now()) !== undefined) {
        return rejected('InvalidCertificate', 'not signed by the installed CSMS root (AdditionalRootCertificateCheck)');
      }
      // M05.FR.09/12: one CSMS root at a time, plus the replaced one as a fallback.
      if (this.#fallback) certificates.remove(hashDataOf(this.#fallback));
      this.#fallback = current[0];
    }
    if (!this.context.hasFault('install-not-kept')) certificates.install(certificate);
    return { payload: { status: 'Accepted' } };
  }

  /** GetInstalledCertificateIds (M03): the hash data of every installed certificate of the asked types, all types when none is given. */
  list(payload: Payload): CallReply {
    const found = this.#matching(payload['certificateType'] as string[] | undefined);
    // M03.FR.02: nothing matched.
    if (found.length === 0) return { payload: { status: 'NotFound' } };
    // M03.FR.03/04.
    const certificateHashDataChain = found.map((certificate) => ({ certificateType: certificate.certificateType, certificateHashData: this.#reported(hashDataOf(certificate)) }));
    return { payload: { status: 'Accepted', certificateHashDataChain } };
  }

  /** DeleteCertificate (M04), by hash data in any of the OCPP hash algorithms. */
  delete(payload: Payload): CallReply {
    const { certificates } = this.context.state;
    const hashData = payload['certificateHashData'] as CertificateHashData;
    const found = certificates.find(hashData);
    // M04.FR.04.
    if (!found) return { payload: { status: this.context.hasFault('delete-unknown-accepted') ? 'Accepted' : 'NotFound' } };
    // M04.FR.06: the station's own certificate is not deleted this way.
    if (OWN_CERTIFICATE_TYPES.has(found.certificateType)) return { payload: { status: 'Failed', statusInfo: { reasonCode: 'UnsupportedRequest' } } };
    // M04.FR.02.
    if (!this.context.hasFault('delete-not-removed')) certificates.remove(hashData);
    if (found === this.#fallback) this.#fallback = undefined;
    return { payload: { status: 'Accepted' } };
  }

  /**
   * Device action `removeCsmsRoots` (TC_A_20_CS's precondition, Part 5 AQ-1): the CSMS roots go by
   * other means than OCPP, kept aside for `restoreCsmsRoots`, which installs them again.
   */
  removeCsmsRoots(): void {
    const { certificates } = this.context.state;
    for (const root of certificates.ofTypes([CSMS_ROOT])) {
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
   * M05.FR.13: connected and accepted again after a CSMS root replacement, so the fallback root
   * goes, unless the connection's server certificate chains to the fallback alone (M05.FR.14: the
   * new root did not verify it). Over plain ws no root verifies anything: the new configuration
   * counts as working.
   */
  onConnected(): void {
    if (!this.#fallback) return;
    if (this.#serverCertificate !== undefined) {
      const root = rootOfServerCertificate(this.context.state.certificates, this.#serverCertificate, this.context.now());
      if (!root || samePem(root, this.#fallback)) return;
    }
    this.context.state.certificates.remove(hashDataOf(this.#fallback));
    this.#fallback = undefined;
  }

  /**
   * The installed certificates of the asked types (all of them when none is asked), or what the
   * type faults make of the request. The store holds no V2G chain (no CertificateSigned yet), so
   * V2GCertificateChain finds nothing (M03.FR.05).
   */
  #matching(asked: string[] | undefined): InstalledCertificate[] {
    const { certificates } = this.context.state;
    if (this.context.hasFault('ignore-certificate-type')) return certificates.ofTypes();
    if (asked === undefined) return this.context.hasFault('omitted-type-matches-nothing') ? [] : certificates.ofTypes();
    return certificates.ofTypes(this.context.hasFault('first-certificate-type-only') ? asked.slice(0, 1) : asked);
  }

  /** The hash data as the station reports them (`behaviour:wrong-certificate-hash`: the serial number in decimal). */
  #reported(hashData: CertificateHashData): CertificateHashData {
    if (!this.context.hasFault('wrong-certificate-hash')) return hashData;
    return { ...hashData, serialNumber: BigInt(`0x${hashData.serialNumber}`).toString(10) };
  }
}

function samePem(a: InstalledCertificate, b: InstalledCertificate): boolean {
  return a.pem.trim() === b.pem.trim();
}

import type { CertificateHashData } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import { CertificateManagement } from '../certificate-management.js';
import { CertificateRenewal } from '../certificate-renewal.js';
import type { StationContext } from '../context.js';
import type { DeviceModel } from './device-model.js';

export { CERTIFICATE_ENTRIES_MAX } from '../certificate-management.js';

/** The 2.0.1 certificate management: CSMSRootCertificate, and the station's own certificates (use case A) that DeleteCertificate may not remove (M04.FR.06). */
export function certificateManagement201(context: StationContext, model: DeviceModel): CertificateManagement {
  return new CertificateManagement(context, {
    csmsRootType: 'CSMSRootCertificate',
    additionalRootCheck: () => model.flag('SecurityCtrlr', 'AdditionalRootCertificateCheck'),
    ownTypes: ['ChargingStationCertificate', 'V2GCertificate'],
    keepRootInUse: false,
  });
}

/**
 * Part 5 security features of the reference station: AS-3, the CSR sent again when no
 * CertificateSigned comes (A02.FR.17); AQ-1, its certificates can be removed by other means than
 * OCPP (it has no station certificate below profile 3, and a case may delete its CSMS root).
 */
export const CERTIFICATE_RENEWAL_FEATURES_201: readonly string[] = ['AS-3', 'AQ-1'];

/** The 2.0.1 renewal of the station certificate (A02): O from SecurityCtrlr.OrganizationName, resent after CertSigningWaitMinimum up to CertSigningRepeatTimes times. */
export function certificateRenewal201(context: StationContext, model: DeviceModel): CertificateRenewal {
  return new CertificateRenewal(context, {
    signRequest: (csr) => ({ csr, certificateType: 'ChargingStationCertificate' }),
    organization: () => model.value('SecurityCtrlr', 'OrganizationName'),
    resend: () => ({ waitS: model.integer('SecurityCtrlr', 'CertSigningWaitMinimum'), times: model.integer('SecurityCtrlr', 'CertSigningRepeatTimes') }),
    invalidEvent: 'InvalidChargingStationCertificate',
    statusInfo: true,
    reconnect: () => false,
  });
}

/** InstallCertificate (M05); a rejection says why in statusInfo. */
export function installCertificate(certificates: CertificateManagement, payload: Payload): CallReply {
  const outcome = certificates.install(String(payload['certificateType']), String(payload['certificate']));
  if (outcome.status === 'Accepted') return { payload: { status: 'Accepted' } };
  return { payload: { status: 'Rejected', statusInfo: { reasonCode: outcome.reasonCode, additionalInfo: outcome.additionalInfo } } };
}

/**
 * GetInstalledCertificateIds (M03): the hash data of every installed certificate of the asked
 * types, all types when none is given. The store holds no V2G chain (no CertificateSigned yet), so
 * V2GCertificateChain finds nothing (M03.FR.05).
 */
export function getInstalledCertificateIds(certificates: CertificateManagement, payload: Payload): CallReply {
  const found = certificates.matching(payload['certificateType'] as string[] | undefined);
  // M03.FR.02: nothing matched.
  if (found.length === 0) return { payload: { status: 'NotFound' } };
  // M03.FR.03/04.
  const certificateHashDataChain = found.map((certificate) => ({ certificateType: certificate.certificateType, certificateHashData: certificates.reported(certificate) }));
  return { payload: { status: 'Accepted', certificateHashDataChain } };
}

/** DeleteCertificate (M04). */
export function deleteCertificate(certificates: CertificateManagement, payload: Payload): CallReply {
  const outcome = certificates.delete(payload['certificateHashData'] as CertificateHashData);
  return { payload: outcome.status === 'Failed' ? { status: 'Failed', statusInfo: { reasonCode: outcome.reasonCode } } : { status: outcome.status } };
}

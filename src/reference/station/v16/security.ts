import { certificateProblem, type CertificateHashData } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import { CertificateManagement } from '../certificate-management.js';
import { CertificateRenewal } from '../certificate-renewal.js';
import type { StationContext } from '../context.js';
import { CSMS_ROOT_TYPES } from '../csms-trust.js';
import type { ChangeStatus, Configuration } from './configuration.js';
import type { V16Parts } from './parts.js';

/** The 1.6 security whitepaper's certificate management: Central System roots; the Charge Point certificate is not in the store (M04.FR.05). */
export function certificateManagement16(context: StationContext, configuration: Configuration): CertificateManagement {
  return new CertificateManagement(context, {
    csmsRootType: 'CentralSystemRootCertificate',
    additionalRootCheck: () => configuration.flag('AdditionalRootCertificateCheck'),
    ownTypes: [],
    keepRootInUse: true,
  });
}

/**
 * The 1.6 security whitepaper's renewal of the Charge Point certificate (A02): the CSR names the
 * CpoName as O (A02.FR.13); the whitepaper has no resend settings, so a CSR goes once; a
 * certificate it accepts is used at once, on a new connection (A02.FR.08, TC_074_CS).
 */
export function certificateRenewal16(context: StationContext, configuration: Configuration): CertificateRenewal {
  return new CertificateRenewal(context, {
    signRequest: (csr) => ({ csr }),
    organization: () => configuration.value('CpoName'),
    resend: () => ({ waitS: 0, times: 0 }),
    invalidEvent: 'InvalidChargePointCertificate',
    statusInfo: false,
    reconnect: () => configuration.integer('SecurityProfile') === 3,
  });
}

/** The Central System operations of the 1.6 security whitepaper (edition 3, chapter 5) the reference Charge Point answers. */
export const SECURITY_HANDLERS_16: Record<string, (parts: V16Parts, payload: Payload) => CallReply> = {
  // M05.FR.01/02/06: InstallCertificate.conf has a status only.
  InstallCertificate: (parts, payload) => ({ payload: { status: parts.certificates.install(String(payload['certificateType']), String(payload['certificate'])).status } }),
  GetInstalledCertificateIds: (parts, payload) => {
    const found = parts.certificates.matching([String(payload['certificateType'])]);
    // M03.FR.02: nothing of the type; M03.FR.03/04: the hash data of each.
    if (found.length === 0) return { payload: { status: 'NotFound' } };
    return { payload: { status: 'Accepted', certificateHashData: found.map((certificate) => parts.certificates.reported(certificate)) } };
  },
  // M04.FR.02/04/06.
  DeleteCertificate: (parts, payload) => ({ payload: { status: parts.certificates.delete(payload['certificateHashData'] as CertificateHashData).status } }),
  GetLog: (parts, payload) => parts.logs.getLog(payload),
  SignedUpdateFirmware: (parts, payload) => parts.signedFirmware.update(payload),
  // A02.FR.06/07.
  CertificateSigned: (parts, payload) => parts.renewal.signed(payload),
};

/**
 * A05 (1.6 security whitepaper): the rules a new SecurityProfile must meet before it is taken,
 * or the status that refuses it. Only upwards (A05.FR.01, A00.FR.005), with a password for
 * profiles 1 and 2 (A05.FR.02), a valid Central System root for 2 and 3 (A05.FR.03) and a
 * Charge Point certificate for 3 (A05.FR.04).
 */
export function securityProfileRefusal(parts: Pick<V16Parts, 'context' | 'configuration' | 'renewal'>, value: string): ChangeStatus | undefined {
  const { context, configuration } = parts;
  const wanted = Number(value);
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > 3) return 'Rejected';
  if (wanted <= configuration.integer('SecurityProfile') && !context.hasFault('security-profile-downgrade')) return 'Rejected';
  if (wanted <= 2 && configuration.value('AuthorizationKey').length < 16) return 'Rejected';
  if (wanted >= 2 && !hasValidCsmsRoot(context)) return 'Rejected';
  if (wanted === 3 && !context.options.security?.clientCertificate && !parts.renewal.current) return 'Rejected';
  return undefined;
}

function hasValidCsmsRoot(context: StationContext): boolean {
  return context.state.certificates.ofTypes(CSMS_ROOT_TYPES).some((root) => certificateProblem(root.pem, [root.pem], context.now()) === undefined);
}

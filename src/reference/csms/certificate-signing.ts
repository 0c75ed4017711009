import { certificateForCsr, checkCsr, signCsr, type CsrCertificateVariant } from '../../pki/index.js';
import type { CallReply } from '../../session/index.js';
import { isV2 } from './context.js';
import { csmsSend } from './csms-send.js';
import { acknowledge, type HandlerInput } from './message-handler.js';

const MAX_ADDITIONAL_INFO = 512;

/**
 * SignCertificate (2.0.1 A02/A03, 1.6 security whitepaper A02/A03): the CSR is checked (subject,
 * key, signature: csr.ts), answered Accepted (A02.FR.11) or Rejected with the reason (A02.FR.12),
 * and an accepted one is signed and sent back in CertificateSigned once the answer is out, with
 * the certificateType it was asked for (A02.FR.14).
 */
export function answerSignCertificate(input: HandlerInput): CallReply {
  acknowledge(input);
  const { context, station, payload } = input;
  const authority = context.certificateAuthority;
  const certificateType = typeof payload['certificateType'] === 'string' ? payload['certificateType'] : undefined;
  if (!authority) return rejected(input, 'this CSMS has no certificate authority to sign with');
  // A V2G certificate names the SECC (ISO 15118), not the station: only its key and signature are checked.
  const expected = certificateType === 'V2GCertificate' ? {} : { commonName: station.stationId, ...(authority.organization === undefined ? {} : { organization: authority.organization }) };
  const check = checkCsr(String(payload['csr'] ?? ''), expected);
  if (!check.ok) return rejected(input, `${check.reason} (${check.requirement})`);
  const variant = signingFault(input);
  const certificateChain = variant ? certificateForCsr(String(payload['csr']), authority.issuer(), variant) : signCsr(check.request, authority.issuer());
  setImmediate(() => void csmsSend(context, {
    stationId: station.stationId, action: 'CertificateSigned', force: true,
    payload: { certificateChain, ...(certificateType !== undefined && isV2(context.version) ? { certificateType } : {}) },
  }));
  return { payload: { status: 'Accepted' } };
}

// 1.6's SignCertificate.conf has a status only; 2.0.1 adds statusInfo, reason code InvalidCSR (Part 2 appendix).
function rejected({ context }: HandlerInput, reason: string): CallReply {
  if (!isV2(context.version)) return { payload: { status: 'Rejected' } };
  return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCSR', additionalInfo: reason.slice(0, MAX_ADDITIONAL_INFO) } } };
}

/** The wrong certificate a faulty CSMS gives for a good CSR (behaviour:csr-signed-other-cn, csr-signed-other-key). */
function signingFault({ context }: HandlerInput): CsrCertificateVariant | undefined {
  if (context.behaviours.has('csr-signed-other-cn')) return 'otherCommonName';
  if (context.behaviours.has('csr-signed-other-key')) return 'otherKey';
  return undefined;
}

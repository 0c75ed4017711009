import { createPrivateKey, X509Certificate } from 'node:crypto';
import { certificateProblem, createCsrInBackground } from '../../../pki/index.js';
import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import type { DeviceModel } from './device-model.js';
import { securityEvent } from './messages.js';

const STATION_CERTIFICATE = 'ChargingStationCertificate';

/**
 * Part 5 security features of the reference station: AS-3, the CSR sent again when no
 * CertificateSigned comes (A02.FR.17); AQ-1, its certificates can be removed by other means than
 * OCPP (it has no station certificate below profile 3, and a case may delete its CSMS root).
 */
export const CERTIFICATE_RENEWAL_FEATURES_201: readonly string[] = ['AS-3', 'AQ-1'];

/** A CSR the station sent and still waits to see signed: the private key stays here (A02.FR.05). */
interface PendingRequest {
  certificateType: string;
  csrPem: string;
  privateKeyPem: string;
  /** Seconds until the next SignCertificateRequest for this CSR (A02.FR.18: doubles each time). */
  waitS: number;
  resendsLeft: number;
  cancelResend?: () => void;
}

/**
 * Renewal of the station's own certificate by request of the CSMS (A02): on TriggerMessage
 * SignChargingStationCertificate a new key pair and a CSR go out in SignCertificateRequest
 * (A02.FR.02/03); the certificate that comes back in CertificateSignedRequest is checked
 * (A02.FR.06) and kept, or refused with a security event (A02.FR.07). Without an answer the CSR
 * is sent again after SecurityCtrlr.CertSigningWaitMinimum, the wait doubling each time, at most
 * CertSigningRepeatTimes times (A02.FR.17-19). The accepted certificate counts as the station's
 * own (A05.FR.03); the reference does not reconnect with it (A02.FR.08): its TLS client
 * certificate stays the configured one, which the harness's CSMS admits just the same.
 */
export class CertificateRenewal {
  #pending: PendingRequest | undefined;
  /** The certificate the station now holds as its own, with its key (A02.FR.08/09: the newest one). */
  #current: { certificatePem: string; privateKeyPem: string } | undefined;

  constructor(private readonly context: StationContext, private readonly model: DeviceModel) {}

  /** TriggerMessage SignChargingStationCertificate: a fresh key and CSR, sent at once (A02.FR.02). */
  async request(certificateType = STATION_CERTIFICATE): Promise<void> {
    this.#pending?.cancelResend?.();
    this.#pending = undefined;
    const organization = this.model.value('SecurityCtrlr', 'OrganizationName') || undefined;
    const { csrPem, privateKeyPem } = await createCsrInBackground({ commonName: this.context.options.stationId, ...(organization ? { organization } : {}) });
    this.#pending = {
      certificateType, csrPem, privateKeyPem,
      waitS: this.model.integer('SecurityCtrlr', 'CertSigningWaitMinimum'),
      resendsLeft: this.context.hasFault('csr-never-resent') ? 0 : this.model.integer('SecurityCtrlr', 'CertSigningRepeatTimes'),
    };
    this.#send(this.#pending);
  }

  /** CertificateSignedRequest (A02.FR.06/07): Accepted and kept, or Rejected, discarded and reported. */
  signed(payload: Payload): CallReply {
    const chain = String(payload['certificateChain'] ?? '');
    const pending = this.#pending;
    // Either way the CSR is answered: no more repeats (A02.FR.17), and after a rejection no new
    // CSR until the CSMS asks again (A02.FR.20).
    pending?.cancelResend?.();
    this.#pending = undefined;
    const problem = pending ? this.#problemOf(chain, pending) : 'no certificate signing request is pending';
    if (problem || !pending) return this.#rejected(problem ?? '');
    this.#current = { certificatePem: chain, privateKeyPem: pending.privateKeyPem };
    return { payload: { status: 'Accepted' } };
  }

  /** A02.FR.07: the certificate is discarded, answered Rejected and reported as a security event. */
  #rejected(problem: string): CallReply {
    if (!this.context.hasFault('no-invalid-certificate-event')) {
      this.context.timers.soon(() => void this.context.send('SecurityEventNotification', securityEvent('InvalidChargingStationCertificate', this.context.now(), problem.slice(0, 255))));
    }
    return { payload: { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCertificate', additionalInfo: problem.slice(0, 512) } } };
  }

  /** The station certificate a renewal installed, if any. */
  get current(): { certificatePem: string; privateKeyPem: string } | undefined {
    return this.#current;
  }

  #send(pending: PendingRequest): void {
    void this.context.send('SignCertificate', { csr: pending.csrPem, certificateType: pending.certificateType }, { requested: true }).then((outcome) => {
      // A02.FR.17 applies only to a CSR the CSMS accepted; a rejected one ends the renewal (TC_A_15_CS).
      const accepted = outcome.kind === 'result' && outcome.payload['status'] === 'Accepted';
      if (!accepted || this.#pending !== pending) {
        if (this.#pending === pending) this.#pending = undefined;
        return;
      }
      if (pending.resendsLeft <= 0) return;
      pending.cancelResend = this.context.timers.after(pending.waitS * 1000, () => {
        if (this.#pending !== pending) return;
        pending.resendsLeft -= 1;
        // A02.FR.18: the back-off doubles (behaviour:csr-back-off-not-doubled keeps it).
        if (!this.context.hasFault('csr-back-off-not-doubled')) pending.waitS *= 2;
        this.#send(pending);
      }, 'a SignCertificateRequest sent again');
    });
  }

  /** Why the chain cannot be the station's new certificate (A02.FR.06), undefined when it can. */
  #problemOf(chainPem: string, pending: PendingRequest): string | undefined {
    const leafPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(chainPem)?.[0];
    if (!leafPem) return 'no PEM certificate';
    const roots = this.context.state.certificates.ofTypes(['CSMSRootCertificate']).map((root) => root.pem);
    const trust = certificateProblem(leafPem, roots, this.context.now());
    if (trust && !(trust === 'untrusted' && this.context.hasFault('station-certificate-any-ca'))) return `the certificate is ${trust === 'untrusted' ? 'not issued by an installed CSMS root' : trust}`;
    const leaf = new X509Certificate(leafPem);
    const commonName = /^CN=(.*)$/m.exec(leaf.subject)?.[1];
    if (commonName !== this.context.options.stationId && !this.context.hasFault('station-certificate-any-cn')) return `the certificate's CN "${commonName ?? ''}" is not the station identity`;
    if (!leaf.checkPrivateKey(createPrivateKey(pending.privateKeyPem))) return 'the certificate is not for the key of the CSR';
    return undefined;
  }
}

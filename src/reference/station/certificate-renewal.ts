import { createPrivateKey, X509Certificate } from 'node:crypto';
import { certificateProblem, createCsrInBackground } from '../../pki/index.js';
import type { Payload } from '../../protocol/index.js';
import type { CallReply } from '../../session/index.js';
import type { KeyedCertificatePem } from '../../transport/index.js';
import type { StationContext } from './context.js';
import { CSMS_ROOT_TYPES } from './csms-trust.js';
import { securityEvent } from './security-event.js';

/**
 * What differs between 2.0.1's renewal (A02, TriggerMessage SignChargingStationCertificate) and the
 * 1.6 security whitepaper's (A02, ExtendedTriggerMessage SignChargePointCertificate).
 */
export interface RenewalDialect {
  /** The SignCertificate payload for a CSR: 2.0.1 names the certificateType, 1.6 sends the csr alone. */
  signRequest: (csrPem: string) => Payload;
  /** The O of the CSR subject: 2.0.1 SecurityCtrlr.OrganizationName, 1.6 CpoName (A02.FR.13). */
  organization: () => string | undefined;
  /** 2.0.1 CertSigningWaitMinimum and CertSigningRepeatTimes (A02.FR.17/18); 1.6 has neither: no resend. */
  resend: () => { waitS: number; times: number };
  /** The security event of a rejected certificate (A02.FR.07): InvalidChargingStationCertificate, 1.6 InvalidChargePointCertificate. */
  invalidEvent: string;
  /** 2.0.1's CertificateSignedResponse says why in statusInfo; 1.6's has a status only. */
  statusInfo: boolean;
  /** 1.6 TC_074_CS, A02.FR.08: connect again at once with the new certificate, where the connection uses one (profile 3). */
  reconnect: () => boolean;
}

/** A CSR the station sent and still waits to see signed: the private key stays here (A02.FR.05). */
interface PendingRequest {
  csrPem: string;
  privateKeyPem: string;
  /** Seconds until the next SignCertificateRequest for this CSR (A02.FR.18: doubles each time). */
  waitS: number;
  resendsLeft: number;
  cancelResend?: () => void;
}

/**
 * Renewal of the station's own certificate by request of the CSMS (A02 of 2.0.1 and of the 1.6
 * security whitepaper; the ids below are 2.0.1's): on TriggerMessage
 * SignChargingStationCertificate a new key pair and a CSR go out in SignCertificateRequest
 * (A02.FR.02/03); the certificate that comes back in CertificateSignedRequest is checked
 * (A02.FR.06) and kept, or refused with a security event (A02.FR.07). Without an answer the CSR
 * is sent again after the dialect's wait, doubling each time, at most its times (2.0.1 A02.FR.17-19).
 */
export class CertificateRenewal {
  #pending: PendingRequest | undefined;
  /** The certificate the station now holds as its own, with its key (A02.FR.08/09: the newest one). */
  #current: { certificatePem: string; privateKeyPem: string } | undefined;

  constructor(private readonly context: StationContext, private readonly dialect: RenewalDialect) {}

  /** The trigger for the station's certificate: a fresh key and CSR, sent at once (A02.FR.02). */
  async request(): Promise<void> {
    this.#pending?.cancelResend?.();
    this.#pending = undefined;
    const organization = this.dialect.organization() || undefined;
    // The key is made off the event loop: a synchronous RSA key would hold the station's answers.
    const { csrPem, privateKeyPem } = await createCsrInBackground({ commonName: this.context.options.stationId, ...(organization ? { organization } : {}) });
    const resend = this.dialect.resend();
    this.#pending = {
      csrPem, privateKeyPem,
      waitS: resend.waitS,
      resendsLeft: this.context.hasFault('csr-never-resent') ? 0 : resend.times,
    };
    this.#send(this.#pending);
  }

  /** CertificateSignedRequest (A02.FR.06/07): Accepted and kept, or Rejected, discarded and reported. */
  signed(payload: Payload): CallReply {
    const chain = String(payload['certificateChain'] ?? '');
    const pending = this.#pending;
    const problem = pending ? this.#problemOf(chain, pending) : 'no certificate signing request is pending';
    if (problem) {
      // A02.FR.07: discarded, and the security event; A02.FR.20: no new CSR until the CSMS asks again.
      pending?.cancelResend?.();
      this.#pending = undefined;
      if (!this.context.hasFault('no-invalid-certificate-event')) {
        this.context.timers.soon(() => void this.context.send('SecurityEventNotification', securityEvent(this.dialect.invalidEvent, this.context.now(), problem.slice(0, 255))));
      }
      const statusInfo = { reasonCode: 'InvalidCertificate', additionalInfo: problem.slice(0, 512) };
      return { payload: { status: 'Rejected', ...(this.dialect.statusInfo ? { statusInfo } : {}) } };
    }
    pending?.cancelResend?.();
    this.#pending = undefined;
    this.#current = { certificatePem: chain, privateKeyPem: pending?.privateKeyPem ?? '' };
    // A02.FR.08: the new certificate is used from the next connection; 1.6 makes that one at once.
    if (this.dialect.reconnect()) this.context.timers.soon(() => this.context.reconnect());
    return { payload: { status: 'Accepted' } };
  }

  /** The station certificate a renewal installed, if any: its client certificate from then on (A02.FR.08). */
  get current(): KeyedCertificatePem | undefined {
    return this.#current;
  }

  /** Device action restoreSecurityProfile: the station goes back to the certificate it was delivered with (none, or the configured one). */
  forget(): void {
    this.#current = undefined;
  }

  #send(pending: PendingRequest): void {
    void this.context.send('SignCertificate', this.dialect.signRequest(pending.csrPem), { requested: true }).then((outcome) => {
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
    const roots = this.context.state.certificates.ofTypes(CSMS_ROOT_TYPES).map((root) => root.pem);
    const trust = certificateProblem(leafPem, roots, this.context.now());
    if (trust && !(trust === 'untrusted' && this.context.hasFault('station-certificate-any-ca'))) return `the certificate is ${trust === 'untrusted' ? 'not issued by an installed CSMS root' : trust}`;
    const leaf = new X509Certificate(leafPem);
    const commonName = /^CN=(.*)$/m.exec(leaf.subject)?.[1];
    if (commonName !== this.context.options.stationId && !this.context.hasFault('station-certificate-any-cn')) return `the certificate's CN "${commonName ?? ''}" is not the station identity`;
    if (!leaf.checkPrivateKey(createPrivateKey(pending.privateKeyPem))) return 'the certificate is not for the key of the CSR';
    return undefined;
  }
}

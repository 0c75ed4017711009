import { certificateProblem, verifySignature, type SignatureScheme } from '../../pki/index.js';
import type { Payload } from '../../protocol/index.js';
import type { CallReply } from '../../session/index.js';
import type { StationContext } from './context.js';
import { installableVersion } from './firmware-image.js';
import { FirmwareWaits } from './firmware-waits.js';
import { securityEvent } from './security-event.js';

/** What an UpdateFirmwareRequest asks for: its FirmwareType, with the request id and retry settings. */
interface FirmwareRequest {
  requestId: number;
  location: string;
  retrieveAt: Date;
  installAt: Date | undefined;
  signingCertificate: string | undefined;
  signature: string | undefined;
  retries: number;
  retryIntervalS: number;
}

/** One firmware update; `cancelled` once a newer UpdateFirmware replaced it (L01.FR.24). */
interface UpdateRun {
  readonly request: FirmwareRequest;
  cancelled: boolean;
  readonly abort: AbortController;
}

/**
 * What differs between 2.0.1's UpdateFirmware (L01) and the 1.6 security whitepaper's
 * SignedUpdateFirmware (L01), whose requests carry the same fields.
 */
export interface SignedFirmwareDialect {
  /** FirmwareStatusNotification (2.0.1) or SignedFirmwareStatusNotification (1.6). */
  statusAction: string;
  /** 2.0.1 answers InvalidCertificate with a statusInfo; 1.6's response has none. */
  statusInfo: boolean;
  /** How the signature over the firmware file is made: the 1.6 whitepaper prescribes RSA-PSS (L01.FR.04). */
  signatureScheme: SignatureScheme;
}

/**
 * Secure firmware update (L01) of the reference station: it checks the signing certificate against
 * its manufacturer roots before accepting, downloads at retrieveDateTime, verifies the signature,
 * installs at installDateTime, then reboots into the new firmware, which reports Installed and the
 * FirmwareUpdated security event. Every step is reported with the request's requestId (L01.FR.10).
 */
export class FirmwareUpdater {
  private current: UpdateRun | undefined;
  /** Installed and rebooting: the new firmware reports Installed once its boot is accepted (L01.FR.32 a). */
  private activating: UpdateRun | undefined;
  private lastReported: { status: string; requestId: number } | undefined;

  private readonly waits: FirmwareWaits;

  constructor(private readonly context: StationContext, runningTransactions: () => number, private readonly dialect: SignedFirmwareDialect) {
    this.waits = new FirmwareWaits(context, runningTransactions);
  }

  /** Answers UpdateFirmware and starts the update in the background. */
  update(payload: Payload): CallReply {
    const request = readRequest(payload);
    const problem = this.signingCertificateProblem(request);
    if (problem) {
      // L01.FR.22: InvalidCertificate; L01.FR.02: and the security event.
      if (!this.context.hasFault('firmware-no-invalid-certificate-event')) {
        this.context.timers.soon(() => void this.context.send('SecurityEventNotification', securityEvent('InvalidFirmwareSigningCertificate', this.context.now(), `signing certificate ${problem}`)));
      }
      const statusInfo = { reasonCode: 'InvalidCertificate', additionalInfo: `signing certificate ${problem}` };
      return { payload: { status: 'InvalidCertificate', ...(this.dialect.statusInfo ? { statusInfo } : {}) } };
    }
    // L01.FR.24: a new request cancels the update in progress.
    const replaced = this.cancel();
    const run: UpdateRun = { request, cancelled: false, abort: new AbortController() };
    this.current = run;
    this.context.timers.soon(() => this.proceed(run));
    return { payload: { status: replaced ? 'AcceptedCanceled' : 'Accepted' } };
  }

  /** After an accepted boot: the new firmware reports its installation (L01.FR.28, L01.FR.31). */
  onBootAccepted(): void {
    const run = this.activating;
    if (!run) return;
    this.activating = undefined;
    this.context.timers.soon(async () => {
      // The update ends with its last status: a request the CSMS sends on hearing it replaces nothing (L01.FR.24).
      if (this.current === run) this.current = undefined;
      await this.report(run, 'Installed');
      if (!this.context.hasFault('firmware-no-updated-event')) await this.context.send('SecurityEventNotification', securityEvent('FirmwareUpdated', this.context.now()));
    });
  }

  /** A transaction ended: an activation that waits for the last one may go on (L01.FR.33). */
  onTransactionEnded(): void {
    this.waits.onTransactionEnded();
  }

  /** What a triggered FirmwareStatusNotification reports: the last status, Idle after Installed or when nothing happened (L01.FR.25/26). */
  triggeredStatus(): Payload {
    const last = this.lastReported;
    return !last || last.status === 'Installed' ? { status: 'Idle' } : { ...last };
  }

  private async proceed(run: UpdateRun): Promise<void> {
    const { request } = run;
    // L01.FR.13: the retrieve time lies ahead.
    if (request.retrieveAt > this.context.now() && !this.context.hasFault('firmware-ignores-retrieve-time')) {
      await this.report(run, 'DownloadScheduled');
      await this.waits.until(run, request.retrieveAt);
    }
    const image = await this.download(run);
    if (!image || run.cancelled) return;
    if (!this.context.hasFault('firmware-no-downloaded-status')) await this.report(run, 'Downloaded');
    if (!this.context.hasFault('firmware-skips-signature-check')) {
      if (!(await this.verifySignature(run, image))) return;
    }
    // L01.FR.16: the installation time lies ahead.
    if (request.installAt && request.installAt > this.context.now() && !this.context.hasFault('firmware-ignores-install-time')) {
      await this.report(run, 'InstallScheduled');
      await this.waits.until(run, request.installAt);
    }
    await this.install(run, image);
  }

  /** Downloads, with the request's retries (L01.FR.30: DownloadFailed once every attempt failed). */
  private async download(run: UpdateRun): Promise<Uint8Array | undefined> {
    const image = await this.waits.download(run, run.request, () => this.report(run, 'Downloading'));
    if (image) return image;
    this.end(run);
    if (!this.context.hasFault('firmware-no-download-failed-status')) await this.report(run, 'DownloadFailed');
    return undefined;
  }

  /** L01.FR.04/L01.FR.12: the signature over the whole file, with the signing certificate; L01.FR.03 when it fails. */
  private async verifySignature(run: UpdateRun, image: Uint8Array): Promise<boolean> {
    const { signature, signingCertificate } = run.request;
    if (signature && signingCertificate && verifySignature(image, signature, signingCertificate, this.signatureScheme())) {
      await this.report(run, 'SignatureVerified');
      return true;
    }
    this.end(run);
    await this.report(run, 'InvalidSignature');
    if (!this.context.hasFault('firmware-no-invalid-signature-event')) {
      await this.context.send('SecurityEventNotification', securityEvent('InvalidFirmwareSignature', this.context.now(), signature ? 'the signature does not match the image' : 'no signature'));
    }
    return false;
  }

  /** behaviour:firmware-legacy-signature: checks SHA256withRSA (PKCS#1 v1.5) where the dialect prescribes another scheme. */
  private signatureScheme(): SignatureScheme {
    return this.context.hasFault('firmware-legacy-signature') ? 'pkcs1' : this.dialect.signatureScheme;
  }

  /** L01.FR.05: installs, checks the installed image (L01.FR.29), then reboots into it (L01.FR.32 a, after the transactions: L01.FR.33). */
  private async install(run: UpdateRun, image: Uint8Array): Promise<void> {
    await this.report(run, 'Installing');
    const version = installableVersion(image);
    if (!version && !this.context.hasFault('firmware-skips-install-verification')) {
      this.end(run);
      return this.report(run, 'InstallVerificationFailed');
    }
    await this.waits.untilNoTransactions(run);
    await this.report(run, 'InstallRebooting');
    if (run.cancelled) return;
    if (version) this.context.state.firmwareVersion = version;
    this.activating = run;
    this.context.reboot('FirmwareUpdate');
  }

  /** L01.FR.21: the signing certificate must chain to an installed manufacturer root; a request without one cannot be verified. */
  private signingCertificateProblem(request: FirmwareRequest): string | undefined {
    if (this.context.hasFault('firmware-accepts-untrusted-certificate')) return undefined;
    if (!request.signingCertificate) return 'absent';
    const roots = this.context.state.certificates.ofTypes(['ManufacturerRootCertificate']).map((certificate) => certificate.pem);
    return certificateProblem(request.signingCertificate, roots, this.context.now());
  }

  /** L01.FR.01: every new state is reported, with the request's id (L01.FR.10, L01.FR.20). */
  private async report(run: UpdateRun, status: string): Promise<void> {
    if (run.cancelled) return;
    const requestId = this.context.hasFault('firmware-wrong-request-id') ? run.request.requestId + 1 : run.request.requestId;
    this.lastReported = { status, requestId };
    await this.context.send(this.dialect.statusAction, { status, requestId });
  }

  private cancel(): boolean {
    const run = this.current;
    if (!run || this.activating === run) return false;
    run.cancelled = true;
    run.abort.abort();
    this.current = undefined;
    return true;
  }

  private end(run: UpdateRun): void {
    if (this.current === run) this.current = undefined;
  }
}

function readRequest(payload: Payload): FirmwareRequest {
  const firmware = (payload['firmware'] ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const installAt = text(firmware['installDateTime']);
  return {
    requestId: Number(payload['requestId']),
    location: String(firmware['location'] ?? ''),
    retrieveAt: new Date(String(firmware['retrieveDateTime'])),
    installAt: installAt ? new Date(installAt) : undefined,
    signingCertificate: text(firmware['signingCertificate']),
    signature: text(firmware['signature']),
    // Without retries the station decides: one attempt.
    retries: Math.max(0, Number(payload['retries'] ?? 0)),
    retryIntervalS: Math.max(0, Number(payload['retryInterval'] ?? 0)),
  };
}

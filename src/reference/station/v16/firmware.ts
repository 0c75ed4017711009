import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import { installableVersion } from '../firmware-image.js';
import { FirmwareWaits } from '../firmware-waits.js';
import type { TransactionEngine16 } from './transactions.js';

/** FirmwareStatus of 1.6 §7.25, without Idle (which only a TriggerMessage gets, §4.5). */
type FirmwareStatus16 = 'Downloading' | 'Downloaded' | 'DownloadFailed' | 'Installing' | 'Installed' | 'InstallationFailed';

/** What an UpdateFirmware.req asks for (§6.55). */
interface UpdateRequest {
  location: string;
  retrieveAt: Date;
  retries: number;
  retryIntervalS: number;
}

/** One firmware update; `cancelled` once the station stopped or a newer request replaced it. */
interface UpdateRun {
  readonly request: UpdateRequest;
  cancelled: boolean;
  readonly abort: AbortController;
}

/**
 * Firmware update of the reference Charge Point (1.6 §5.19, §4.5): it answers UpdateFirmware.conf,
 * downloads from the location once retrieveDate has come (with the request's retries), installs
 * an image that passes its install check once no transaction runs, and reboots into it; the new
 * firmware reports Installed after its boot was accepted ("good practice" of §5.19). Each step is
 * a FirmwareStatusNotification: Downloading, Downloaded or DownloadFailed, Installing, Installed or
 * InstallationFailed.
 */
export class FirmwareUpdater16 {
  private current: UpdateRun | undefined;
  /** Installed and rebooting: the new firmware reports Installed once its boot is accepted. */
  private activating: UpdateRun | undefined;
  private busyStatus: FirmwareStatus16 | undefined;

  private readonly waits: FirmwareWaits;

  constructor(private readonly context: StationContext, engine: TransactionEngine16) {
    this.waits = new FirmwareWaits(context, () => engine.running().length);
  }

  /** UpdateFirmware.conf has no fields (§6.56); the update runs in the background. */
  update(payload: Payload): CallReply {
    this.cancel();
    const run: UpdateRun = { request: readRequest(payload), cancelled: false, abort: new AbortController() };
    this.current = run;
    this.context.timers.soon(() => this.proceed(run));
    return { payload: {} };
  }

  /** After an accepted boot: the firmware the station rebooted into reports Installed. */
  onBootAccepted(): void {
    const run = this.activating;
    if (!run) return;
    this.activating = undefined;
    this.context.timers.soon(async () => {
      if (this.current === run) this.current = undefined;
      if (!this.context.hasFault('firmware-installed-never-reported')) await this.report(run, 'Installed', true);
    });
  }

  /** A transaction ended: an installation that waits for the last one may go on (§5.19). */
  onTransactionEnded(): void {
    this.waits.onTransactionEnded();
  }

  /** A triggered FirmwareStatusNotification (§4.5): the status of the update in progress, else Idle. */
  triggeredStatus(): string {
    return this.busyStatus ?? 'Idle';
  }

  private async proceed(run: UpdateRun): Promise<void> {
    const { request } = run;
    // §5.19: the station may retrieve the firmware from retrieveDate on.
    if (request.retrieveAt > this.context.now()) await this.waits.until(run, request.retrieveAt);
    const image = await this.download(run);
    if (!image || run.cancelled) return;
    await this.report(run, 'Downloaded');
    // §5.19: installation waits until the charging sessions have ended.
    await this.waits.untilNoTransactions(run);
    await this.report(run, 'Installing');
    const version = installableVersion(image);
    if (!version && !this.context.hasFault('firmware-installs-invalid-image')) {
      this.end(run);
      return this.report(run, 'InstallationFailed', true);
    }
    if (run.cancelled) return;
    if (version) this.context.state.firmwareVersion = version;
    this.activating = run;
    this.context.reboot('FirmwareUpdate');
  }

  /** Downloads, with the request's retries; DownloadFailed once every attempt failed. */
  private async download(run: UpdateRun): Promise<Uint8Array | undefined> {
    const image = await this.waits.download(run, run.request, () => this.report(run, 'Downloading'));
    if (image) return image;
    this.end(run);
    if (!this.context.hasFault('firmware-download-failure-silent')) await this.report(run, 'DownloadFailed', true);
    return undefined;
  }

  /** §4.5: every step of the update is reported; after the last one the station is idle again. */
  private async report(run: UpdateRun, status: FirmwareStatus16, last = false): Promise<void> {
    if (run.cancelled) return;
    this.busyStatus = last ? undefined : status;
    await this.context.send('FirmwareStatusNotification', { status });
  }

  /** 1.6 defines no cancellation: a new request simply replaces the update in progress. */
  private cancel(): void {
    const run = this.current;
    if (!run || this.activating === run) return;
    run.cancelled = true;
    run.abort.abort();
    this.current = undefined;
    this.busyStatus = undefined;
  }

  private end(run: UpdateRun): void {
    if (this.current === run) this.current = undefined;
  }
}

function readRequest(payload: Payload): UpdateRequest {
  return {
    location: String(payload['location'] ?? ''),
    retrieveAt: new Date(String(payload['retrieveDate'])),
    // Without retries the Charge Point decides (§6.55): one attempt.
    retries: Math.max(0, Number(payload['retries'] ?? 0)),
    retryIntervalS: Math.max(0, Number(payload['retryInterval'] ?? 0)),
  };
}

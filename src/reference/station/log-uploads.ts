import type { Payload } from '../../protocol/index.js';
import type { CallReply } from '../../session/index.js';
import type { StationContext } from './context.js';
import { uploadFile } from './upload.js';

/** LogStatusEnumType values that end an upload that did not succeed (N01.FR.10). */
type FailureStatus = 'UploadFailure' | 'BadMessage' | 'PermissionDenied' | 'NotSupportedOperation';

interface Upload {
  requestId: number;
  cancelled: boolean;
  abort: AbortController;
}

// The GetLogRequest may leave retries and retryInterval to the station (Part 2 GetLogRequest):
// the reference then tries once. An attempt the server does not answer in time has failed.
const DEFAULT_RETRIES = 0;
const DEFAULT_RETRY_INTERVAL_S = 1;
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Retrieve Log (N01 of 2.0.1 and of the 1.6 security whitepaper, whose GetLog and
 * LogStatusNotification carry the same fields): answers a GetLogRequest with a file name, then uploads the log by HTTP PUT
 * to `<remoteLocation>/<filename>` and reports the upload with LogStatusNotifications carrying
 * the request's requestId (N01.FR.07, N01.FR.13): Uploading (N01.FR.08), then Uploaded
 * (N01.FR.09), or a failure status once the attempts the request allows have all failed
 * (N01.FR.10). One upload at a time: a new request cancels the one in progress (2.0.1 N01.FR.12,
 * FR.20; 1.6 N01.FR.11). `notifyCancel`: the cancelled upload ends with a LogStatusNotification
 * AcceptedCanceled (2.0.1); 1.6's UploadLogStatusEnumType has no such value, so it just stops.
 */
export class LogUploads {
  private current: Upload | undefined;

  constructor(private readonly context: StationContext, private readonly notifyCancel: boolean) {}

  /** GetLog: Accepted with the file name (N01.FR.01), or AcceptedCanceled when it replaces an upload. */
  getLog(payload: Payload): CallReply {
    const requestId = Number(payload['requestId']);
    const logType = String(payload['logType']);
    const filename = `${this.context.options.stationId}-${logType}-${requestId}.log`;
    const previous = this.current;
    if (previous) {
      previous.cancelled = true;
      previous.abort.abort();
    }
    const upload: Upload = { requestId, cancelled: false, abort: new AbortController() };
    this.current = upload;
    const location = String((payload['log'] as Payload | undefined)?.['remoteLocation'] ?? '');
    const retries = typeof payload['retries'] === 'number' ? payload['retries'] : DEFAULT_RETRIES;
    const intervalS = typeof payload['retryInterval'] === 'number' ? payload['retryInterval'] : DEFAULT_RETRY_INTERVAL_S;
    this.context.timers.soon(async () => {
      if (previous && this.notifyCancel) await this.status('AcceptedCanceled', previous.requestId);
      await this.run(upload, { location, filename, content: this.content(logType, requestId), retries, intervalS });
    });
    return { payload: { status: previous ? 'AcceptedCanceled' : 'Accepted', filename } };
  }

  /** The requestId of the upload in progress, if any (TriggerMessage, F06.FR.14). */
  uploadingRequestId(): number | undefined {
    return this.current?.requestId;
  }

  private async run(upload: Upload, job: { location: string; filename: string; content: string; retries: number; intervalS: number }): Promise<void> {
    await this.status('Uploading', upload.requestId);
    // The request's retries: after the first attempt, up to `retries` more, retryInterval apart.
    const attempts = this.context.hasFault('log-retries-ignored') ? 1 : 1 + Math.max(0, job.retries);
    let outcome: 'Uploaded' | FailureStatus = 'UploadFailure';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.sleep(job.intervalS * 1000);
      if (upload.cancelled) return;
      outcome = await this.attempt(job, upload.abort.signal);
      if (upload.cancelled) return;
      // Retrying cannot mend an unusable location or an unsupported protocol.
      if (outcome === 'Uploaded' || outcome === 'BadMessage' || outcome === 'NotSupportedOperation') break;
    }
    if (this.current === upload) this.current = undefined;
    if (outcome === 'Uploaded' && this.context.hasFault('no-log-uploaded-status')) return;
    await this.status(outcome, upload.requestId);
  }

  /** One HTTP PUT of the log; the LogStatusEnumType it ends in. */
  private async attempt(job: { location: string; filename: string; content: string }, cancel: AbortSignal): Promise<'Uploaded' | FailureStatus> {
    if (this.context.hasFault('log-upload-skipped')) return 'Uploaded';
    const outcome = await uploadFile(job, { timeoutMs: ATTEMPT_TIMEOUT_MS, signal: cancel });
    // A refusal by the server (not an unusable location) is what the fault ignores.
    if ((outcome === 'UploadFailure' || outcome === 'PermissionDenied') && this.context.hasFault('log-upload-failure-ignored')) return 'Uploaded';
    return outcome;
  }

  /** The log file: its format is not prescribed (N01); a few lines of what the station knows. */
  private content(logType: string, requestId: number): string {
    const { options, state } = this.context;
    const lines = [
      `# ocpp-harness reference station ${options.stationId}: ${logType}, request ${requestId}, ${this.context.now().toISOString()}`,
      `registration ${this.context.registration()}, ${this.context.isOnline() ? 'online' : 'offline'}`,
    ];
    if (logType === 'SecurityLog') lines.push(`security profile ${options.security?.profile ?? 0}`);
    else for (const connector of state.connectors()) lines.push(`connector ${connector.evseId}/${connector.id}: ${connector.plugged ? 'plugged' : 'free'}${connector.faulted ? ', faulted' : ''}`);
    return `${lines.join('\n')}\n`;
  }

  private async status(status: string, requestId: number): Promise<void> {
    await this.context.send('LogStatusNotification', { status, requestId });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.context.timers.after(ms, resolve));
  }
}

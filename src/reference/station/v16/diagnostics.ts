import type { Payload } from '../../../protocol/index.js';
import type { CallReply } from '../../../session/index.js';
import type { StationContext } from '../context.js';
import { uploadFile } from '../upload.js';

// GetDiagnostics.req may leave retries and retryInterval to the Charge Point (§6.25): the
// reference then tries once. An attempt the server does not answer in time has failed.
const DEFAULT_RETRY_INTERVAL_S = 1;
const ATTEMPT_TIMEOUT_MS = 10_000;

interface Upload {
  cancelled: boolean;
  abort: AbortController;
}

/**
 * Get Diagnostics of the reference Charge Point (1.6 §5.9, §4.4): it answers with the name of the
 * one file it will upload, PUTs it to `<location>/<fileName>`, and reports Uploading, then
 * Uploaded or, once the attempts the request allows have all failed, UploadFailed.
 */
export class Diagnostics16 {
  private current: Upload | undefined;
  private uploads = 0;

  constructor(private readonly context: StationContext) {}

  /** GetDiagnostics.conf with the file name (§6.26); a new request replaces an upload in progress. */
  getDiagnostics(payload: Payload): CallReply {
    this.uploads += 1;
    const fileName = `${this.context.options.stationId}-diagnostics-${this.uploads}.log`;
    if (this.current) {
      this.current.cancelled = true;
      this.current.abort.abort();
    }
    const upload: Upload = { cancelled: false, abort: new AbortController() };
    this.current = upload;
    const job = { location: String(payload['location'] ?? ''), filename: fileName, content: this.content(payload) };
    const retries = typeof payload['retries'] === 'number' ? Math.max(0, payload['retries']) : 0;
    const intervalS = typeof payload['retryInterval'] === 'number' ? payload['retryInterval'] : DEFAULT_RETRY_INTERVAL_S;
    this.context.timers.soon(() => this.run(upload, job, retries, intervalS));
    return { payload: { fileName } };
  }

  /** A triggered DiagnosticsStatusNotification (§4.4): Uploading while busy, else Idle. */
  triggeredStatus(): string {
    return this.current ? 'Uploading' : 'Idle';
  }

  private async run(upload: Upload, job: { location: string; filename: string; content: string }, retries: number, intervalS: number): Promise<void> {
    await this.status('Uploading');
    let uploaded = false;
    // §6.25 (errata): retries is how often the upload is retried after the first attempt.
    for (let attempt = 0; attempt <= retries && !uploaded; attempt++) {
      if (attempt > 0) await this.sleep(intervalS * 1000);
      if (upload.cancelled) return;
      uploaded = this.context.hasFault('diagnostics-upload-skipped') || (await uploadFile(job, { timeoutMs: ATTEMPT_TIMEOUT_MS, signal: upload.abort.signal })) === 'Uploaded';
      if (upload.cancelled) return;
    }
    if (this.current === upload) this.current = undefined;
    await this.status(uploaded ? 'Uploaded' : 'UploadFailed');
  }

  /** The diagnostics file: its format is not prescribed (§5.9); a few lines of what the station knows. */
  private content(payload: Payload): string {
    const { options, state } = this.context;
    const period = [payload['startTime'], payload['stopTime']].map((time) => (typeof time === 'string' ? time : '-')).join(' to ');
    const lines = [
      `# ocpp-harness reference charge point ${options.stationId}: diagnostics ${period}, ${this.context.now().toISOString()}`,
      `firmware ${state.firmwareVersion ?? 'unknown'}, registration ${this.context.registration()}`,
      ...state.connectors().map((connector) => `connector ${connector.id}: ${connector.plugged ? 'plugged' : 'free'}${connector.faulted ? ', faulted' : ''}`),
    ];
    return `${lines.join('\n')}\n`;
  }

  private async status(status: string): Promise<void> {
    await this.context.send('DiagnosticsStatusNotification', { status });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.context.timers.after(ms, resolve));
  }
}

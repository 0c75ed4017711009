/** How one upload attempt ended, in the words of 2.0.1 UploadLogStatusEnumType (1.6 maps them to UploadFailed). */
export type UploadOutcome = 'Uploaded' | 'UploadFailure' | 'BadMessage' | 'PermissionDenied' | 'NotSupportedOperation';

/**
 * Uploads a file by HTTP PUT to `<location>/<filename>`, as a station sends its logs or
 * diagnostics: credentials in the URL become Basic authorization (fetch refuses them in the URL,
 * 2.0.1 N01.FR.17). An unusable location is BadMessage, another protocol NotSupportedOperation,
 * 401/403 PermissionDenied, any other refusal, no answer within `timeoutMs` or a cancel UploadFailure.
 */
export async function uploadFile(job: { location: string; filename: string; content: string }, options: { timeoutMs: number; signal: AbortSignal }): Promise<UploadOutcome> {
  let target: URL;
  try {
    target = new URL(job.location);
  } catch {
    return 'BadMessage';
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return 'NotSupportedOperation';
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (target.username) headers['authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
  target.username = '';
  target.password = '';
  target.pathname = `${target.pathname.replace(/\/$/, '')}/${encodeURIComponent(job.filename)}`;
  try {
    const response = await fetch(target, { method: 'PUT', headers, body: job.content, signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) });
    await response.arrayBuffer();
    if (response.ok) return 'Uploaded';
    return response.status === 401 || response.status === 403 ? 'PermissionDenied' : 'UploadFailure';
  } catch {
    return 'UploadFailure';
  }
}

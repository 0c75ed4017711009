import type { Session } from './session.js';
import type { TraceRecord } from './trace-record.js';

/**
 * Resolves with the next record of the session that satisfies the predicate, or undefined when
 * none arrives within the timeout or the connection closes first. The one waiting loop of the
 * project: steps and tests wait on events with it, never on fixed sleeps.
 */
export function waitForRecord(session: Session, predicate: (record: TraceRecord) => boolean, timeoutMs: number): Promise<TraceRecord | undefined> {
  return new Promise((resolve) => {
    const finish = (record: TraceRecord | undefined) => {
      clearTimeout(timer);
      session.off('record', onRecord);
      session.off('close', onClose);
      resolve(record);
    };
    const onRecord = (record: TraceRecord) => {
      if (predicate(record)) finish(record);
    };
    const onClose = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    session.on('record', onRecord);
    session.on('close', onClose);
  });
}

// A worker thread of PrejudgePool (trace-workers.ts): reads and prejudges each batch of lines it is
// sent and answers with their readings, in the order the batches came.
import { parentPort, workerData } from 'node:worker_threads';
import type { OcppVersion } from '../protocol/index.js';
import { BLANK, readingOf, type BatchRequest, type WorkerReading } from './trace-workers.js';

const { version } = workerData as { version: OcppVersion | undefined };
const port = parentPort!;
port.on('message', ({ texts }: BatchRequest) => {
  const readings: WorkerReading[] = texts.map((text) => (text === null ? BLANK : readingOf(text, version)));
  port.postMessage(readings);
});

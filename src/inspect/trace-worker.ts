// A worker thread of PrejudgePool (trace-workers.ts): reads and prejudges the lines of each byte
// range of the file it is sent and answers with their RangeReading, in the order the ranges came.
import { parentPort, workerData } from 'node:worker_threads';
import { readFileLineBatches, type ByteRange } from './line-stream.js';
import { RangePacker, WORKER_LINE_BYTES } from './trace-batch.js';
import type { WorkerSettings } from './trace-workers.js';

const { path, version, maxLineBytes } = workerData as WorkerSettings;
const port = parentPort!;

async function read(range: ByteRange): Promise<void> {
  const packer = new RangePacker(version, maxLineBytes);
  for await (const lines of readFileLineBatches(path, Math.min(maxLineBytes, WORKER_LINE_BYTES), range)) {
    for (const line of lines) packer.add(line);
  }
  port.postMessage(packer.done());
}

// One range at a time: the reader yields to the event loop, where the next request may be waiting.
let reading = Promise.resolve();
port.on('message', (range: ByteRange) => {
  reading = reading.then(() => read(range));
});

// The yardstick of the trace-throughput bench, run as its own process: read a file line by line
// and JSON.parse each line, nothing else. `node dist/bench/trace-baseline.js FILE` prints the
// number of records.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let records = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]!), crlfDelay: Infinity })) {
  if (line.length > 0 && JSON.parse(line) !== undefined) records++;
}
process.stdout.write(`${records}\n`);

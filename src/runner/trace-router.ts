import { JsonlTraceWriter, type TraceRecord, type TraceSink } from '../session/index.js';

/**
 * The trace of a link, routed per case: records go to the running case's file and memory, and
 * between cases to an "outside cases" file, so no frame of any connection is lost.
 */
export class TraceRouter implements TraceSink {
  private target: { writer: JsonlTraceWriter; records: TraceRecord[]; written: number } | undefined;

  /** `onOutside`: sees each record written outside cases (for the run-level findings). */
  constructor(private readonly outside: JsonlTraceWriter, private readonly onOutside?: (record: TraceRecord) => void) {}

  write(record: TraceRecord): void {
    if (!this.target) {
      this.outside.write(record);
      return this.onOutside?.(record);
    }
    this.target.records.push(record);
    this.target.writer.write(record);
    this.target.written++;
  }

  /** Sends records to a case's writer and list until `end` is called. */
  begin(writer: JsonlTraceWriter, records: TraceRecord[]): void {
    this.target = { writer, records, written: 0 };
  }

  /** Keeps writing to the case's file, but collects the records in another list from now on. */
  collectInto(records: TraceRecord[]): void {
    if (this.target) this.target.records = records;
  }

  /** How many records the case's file has so far (0 between cases). */
  get written(): number {
    return this.target?.written ?? 0;
  }

  /** Back to the outside file; closes the case's writer. */
  end(): void {
    this.target?.writer.close();
    this.target = undefined;
  }
}

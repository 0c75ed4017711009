import { JsonlTraceWriter, type TraceRecord, type TraceSink } from '../session/index.js';

/**
 * The trace of a link, routed per case: records go to the running case's file and to the case's
 * collector (CaseRecords), and between cases to an "outside cases" file, so no frame of any
 * connection is lost. A record of a connection the harness had already closed or replaced, or one
 * from the work before or after the case, goes to the case's file but not to its collector: it
 * decides no case, and its findings are the run's (issue 14).
 */
export class TraceRouter implements TraceSink {
  private target: { writer: JsonlTraceWriter; collector: TraceSink | undefined; written: number } | undefined;

  /** `onRunLevel`: sees each record that belongs to no case, with the file it went to (for the run-level findings). */
  constructor(private readonly outside: JsonlTraceWriter, private readonly onRunLevel?: (record: TraceRecord, file: JsonlTraceWriter) => void) {}

  write(record: TraceRecord): void {
    if (!this.target) {
      this.outside.write(record);
      return this.onRunLevel?.(record, this.outside);
    }
    this.target.writer.write(record);
    this.target.written++;
    // Work before and after the case has no collector: what the SUT sends then is the run's, like
    // a retired connection's frames, or its findings would reach no report.
    if (record.meta.connectionRetired || !this.target.collector) return this.onRunLevel?.(record, this.target.writer);
    this.target.collector.write(record);
  }

  /** Sends records to a case's writer (and to `collector`, if any) until `end` is called. */
  begin(writer: JsonlTraceWriter, collector?: TraceSink): void {
    this.target = { writer, collector, written: 0 };
  }

  /** Keeps writing to the case's file, but hands the records to another collector (or none) from now on. */
  collectInto(collector: TraceSink | undefined): void {
    if (this.target) this.target.collector = collector;
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

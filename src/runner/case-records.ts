import { FindingGroups, type Direction, type Finding } from '../protocol/index.js';
import type { TraceRecord, TraceSink } from '../session/index.js';

/**
 * Issue 14: how many records of one case are kept in memory for its steps and assertions. The
 * case's trace file keeps every record; a peer that floods a case cannot grow the harness past this.
 */
export const CASE_RECORDS_IN_MEMORY = 10_000;

/** A finding on a frame, with the step that was running when the frame came. */
export interface LocatedFinding {
  finding: Finding;
  step: string | undefined;
}

/**
 * The records of one running case, as the trace router hands them over: the first
 * CASE_RECORDS_IN_MEMORY kept in order (what steps and assertions read), the rest counted, and
 * the findings on every record, grouped (FindingGroups), so the verdict weighs all of them.
 */
export class CaseRecords implements TraceSink {
  /** The case's records in order, up to the limit. */
  readonly records: TraceRecord[] = [];
  /** Records past the limit: in the trace file only. */
  notKept = 0;
  private readonly sutGroups = new FindingGroups();
  private readonly harnessGroups = new FindingGroups();
  private readonly sutLocated: LocatedFinding[] = [];

  /** `sut`: the direction of the SUT's frames; `limit`: how many records to keep. */
  constructor(private readonly sut: Direction, private readonly limit = CASE_RECORDS_IN_MEMORY) {}

  write(record: TraceRecord): void {
    if (this.records.length < this.limit) this.records.push(record);
    else this.notKept++;
    const findings = record.meta.findings;
    if (!findings) return;
    const connection = record.meta.connectionId ?? '';
    for (const finding of findings) {
      if (record.direction === this.sut) {
        const listed = this.sutGroups.add(connection, finding, record.timestamp);
        if (listed) this.sutLocated.push({ finding: listed, step: record.meta.stepId });
      } else if (record.messageType !== 'EVENT' && !record.meta.deliberate) {
        // EVENT records on the harness's side (its CALL timed out) report on the SUT, not on a harness
        // frame; a frame a negative test sent invalid on purpose (sendInvalid) accuses no one.
        this.harnessGroups.add(connection, finding, record.timestamp);
      }
    }
  }

  /** Every finding on a frame the SUT sent, grouped, in trace order, with its step. */
  get sutFindings(): readonly LocatedFinding[] {
    return this.sutLocated;
  }

  /** Findings on frames the harness sent (issue 11: there should be none). */
  get harnessFindings(): Finding[] {
    return this.harnessGroups.list();
  }
}

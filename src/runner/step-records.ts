import { oppositeOf, type Direction } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';

/** A CALL a step took part in: where it is, and who answers it. */
interface NotedCall {
  index: number;
  messageId: string;
  answeredFrom: Direction;
}

/**
 * The trace records one step took part in (StepResult.records), noted where the case run hands a
 * CALL to a step or sends one for it. A CALL's answer may leave after the step took the CALL (the
 * step answers it), so answers are looked up when the step ends: the first later record with the
 * CALL's message id from the other side (OCPP-J §4.1.3), or the timeout the session recorded.
 */
export class StepRecords {
  private readonly indices = new Set<number>();
  private readonly calls: NotedCall[] = [];

  constructor(private readonly records: readonly TraceRecord[]) {}

  /** Notes the latest CALL `from` one side with this message id, and its answer once the step ends. */
  noteCall(messageId: string, from: Direction): void {
    const index = this.records.findLastIndex((record) => record.messageType === 'CALL' && record.direction === from && record.messageId === messageId);
    if (index < 0) return;
    this.indices.add(index);
    this.calls.push({ index, messageId, answeredFrom: oppositeOf(from) });
  }

  /** Notes records the step judged (an assertion's messages). */
  noteRecords(judged: readonly TraceRecord[]): void {
    for (const record of judged) {
      const index = this.records.indexOf(record);
      if (index >= 0) this.indices.add(index);
    }
  }

  /** The noted records and the answers to the noted CALLs, ascending, shifted by `offset` (the records before the case's own). */
  resolve(offset: number): number[] {
    for (const call of this.calls) {
      const answer = this.records.findIndex((record, index) => index > call.index && answers(record, call));
      if (answer >= 0) this.indices.add(answer);
    }
    return [...this.indices].sort((a, b) => a - b).map((index) => index + offset);
  }
}

function answers(record: TraceRecord, call: NotedCall): boolean {
  if (record.messageType === 'EVENT') return record.meta.event?.kind === 'call-timeout' && record.meta.event.messageId === call.messageId;
  return (record.messageType === 'CALLRESULT' || record.messageType === 'CALLERROR') && record.direction === call.answeredFrom && record.messageId === call.messageId;
}

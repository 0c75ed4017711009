import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTraceLines } from '../inspect/index.js';
import { directionFrom, type Finding } from '../protocol/index.js';
import type { TraceRecord } from '../session/index.js';
import type { Sut } from '../testcase/index.js';
import { harnessSideAgainst, roleOf } from './harness-side.js';

/**
 * Issue 11: the harness never sends an invalid frame. These are the findings on frames it sent
 * all the same, when the SUT plays `sut`. EVENT records on the harness's side (a harness CALL
 * that timed out) report on the SUT, not on a frame of the harness; nor does a frame a
 * `sendInvalid` step sent invalid on purpose (`meta.deliberate`, issue 14's negative tests).
 */
export function harnessFrameFindings(records: readonly TraceRecord[], sut: Sut): Finding[] {
  const harness = directionFrom(roleOf(harnessSideAgainst(sut)));
  return records.filter((record) => record.direction === harness && record.messageType !== 'EVENT' && !record.meta.deliberate).flatMap((record) => record.meta.findings ?? []);
}

/** The same over every trace file (JSONL) of a run's `traces` folder; empty when there is none. */
export function harnessFrameFindingsInTraces(tracesDir: string, sut: Sut): Finding[] {
  let files: string[];
  try {
    files = readdirSync(tracesDir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const records = files.flatMap((name) => readTraceLines(readFileSync(join(tracesDir, name), 'utf8')).flatMap((line) => ('record' in line ? [line.record] : [])));
  return harnessFrameFindings(records, sut);
}

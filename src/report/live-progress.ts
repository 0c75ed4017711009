import type { CaseResult, SuiteListener, Verdict } from '../runner/index.js';
import { VERDICTS } from '../runner/index.js';

/** What the live line writes to: a terminal (its width, when known, keeps the line on one row). */
export interface LiveOutput {
  write(text: string): unknown;
  columns?: number;
}

/** The live progress line of a run on a terminal, and the way to print other text above it. */
export interface LiveProgress extends Required<Pick<SuiteListener, 'onRunBegin' | 'onCaseBegin' | 'onStepBegin' | 'onCaseEnd'>> {
  /** Writes `text` (whole lines) above the live line, which is drawn again below it. */
  print(text: string): void;
  /** Clears the line and stops its clock; later text prints as plain lines. */
  stop(): void;
}

interface Running {
  caseId: string;
  step?: { index: string; title: string; startedAt: number; timeoutMs: number };
}

// Once a second is enough for a countdown in seconds, and costs a run nothing measurable.
const REFRESH_MS = 1000;
const CLEAR_LINE = '\r\x1b[K';

/**
 * Issue 15: one line, rewritten in place, says what the run is doing: the case, its step, what it
 * waits for and the time left, the tally so far and an estimate of the end. A case waiting 60 s
 * for a message no longer looks hung.
 */
export function createLiveProgress(output: LiveOutput, now: () => number = Date.now): LiveProgress {
  let total = 0;
  let startedAt = now();
  let done = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;
  const tally = new Map<Verdict, number>();
  const running = new Map<string, Running>();

  const draw = () => {
    const line = progressLine({ total, done, tally, running: [...running.values()], elapsedMs: now() - startedAt, now: now() });
    const width = (output.columns ?? 0) > 0 ? output.columns! - 1 : line.length;
    output.write(`${CLEAR_LINE}${line.slice(0, width)}`);
    drawn = true;
  };
  const clear = () => {
    if (drawn) output.write(CLEAR_LINE);
    drawn = false;
  };

  return {
    onRunBegin(info) {
      total = info.cases;
      startedAt = now();
      timer = setInterval(draw, REFRESH_MS);
      timer.unref();
      draw();
    },
    onCaseBegin(testCase, stationId) {
      running.set(stationId, { caseId: testCase.id });
      draw();
    },
    onStepBegin(step) {
      running.set(step.stationId, { caseId: step.caseId, step: { index: step.index, title: step.title, startedAt: now(), timeoutMs: step.timeoutMs } });
      draw();
    },
    onCaseEnd(result: CaseResult) {
      done++;
      tally.set(result.verdict, (tally.get(result.verdict) ?? 0) + 1);
      if (result.stationId) running.delete(result.stationId);
      draw();
    },
    print(text) {
      clear();
      output.write(text);
      if (timer) draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
  };
}

/** `[3/96] TC_B_02_CS step 4 expect BootNotification, 57 s left | 2 pass, 1 fail | about 1m05s to go` */
export function progressLine(state: { total: number; done: number; tally: ReadonlyMap<Verdict, number>; running: readonly Running[]; elapsedMs: number; now: number }): string {
  const parts = [`[${state.done}/${state.total}]`];
  const first = state.running[0];
  if (first) {
    const step = first.step;
    // A step that only groups others (a state, a use step) has no timeout of its own: no countdown.
    const left = step && step.timeoutMs > 0 ? `, ${Math.max(0, Math.ceil((step.startedAt + step.timeoutMs - state.now) / 1000))} s left` : '';
    parts.push(`${first.caseId}${step ? ` step ${step.index} ${step.title}${left}` : ''}${state.running.length > 1 ? ` (+${state.running.length - 1} running)` : ''}`);
  }
  const counts = VERDICTS.filter((verdict) => (state.tally.get(verdict) ?? 0) > 0).map((verdict) => `${state.tally.get(verdict)} ${verdict}`);
  if (counts.length > 0) parts.push(`| ${counts.join(', ')}`);
  // The cases so far set the pace of the rest.
  if (state.done > 0 && state.done < state.total) parts.push(`| about ${duration((state.elapsedMs / state.done) * (state.total - state.done))} to go`);
  return parts.join(' ');
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

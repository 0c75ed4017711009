import type { CaseResult, RunResult, SuiteListener, Verdict } from '../runner/index.js';
import { VERDICTS, isRelayed } from '../runner/index.js';
import { createLiveProgress, type LiveOutput } from './live-progress.js';
import { countOccurrences } from '../protocol/index.js';
import { findingText } from './finding-text.js';

const MARK: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', inconclusive: 'INCONCLUSIVE', 'not-applicable': 'N/A', skipped: 'SKIP' };
/** A pass whose every checked value the adapter had passed on to the SUT: it proves a relay only. */
const RELAYED_MARK = 'PASS relayed';

/** How much of a reason or an `actual:` the console shows; results.json and the HTML report keep it whole. */
const CONSOLE_TEXT_LIMIT = 400;

function shortened(text: string): string {
  return text.length > CONSOLE_TEXT_LIMIT ? `${text.slice(0, CONSOLE_TEXT_LIMIT - 3)}... (whole in results.json)` : text;
}

/** Every line of a side-by-side table, indented, never shortened: cut, its columns would lose their meaning. */
function indented(table: string, indent: string): string {
  return table.split('\n').map((line) => `${indent}${line}\n`).join('');
}

/** "warnings: code message [rule]; ..." for the warnings of a case that passed, or "". */
function warningsLine(result: CaseResult): string {
  const warnings = result.findings.filter((finding) => finding.severity === 'warning');
  return warnings.map(findingText).join('; ');
}

/**
 * Prints a line per case as it finishes, then a summary with the reasons of failures. With `live`
 * (a terminal) one more line below them, rewritten in place, shows what the run is doing now.
 */
export function createConsoleReporter(given: NodeJS.WritableStream & LiveOutput, options: { live?: boolean } = {}): SuiteListener & { onRunEnd(result: RunResult): void } {
  const live = options.live ? createLiveProgress(given) : undefined;
  const output = live ? { write: (text: string) => live.print(text) } : given;
  return {
    onCaseBegin: live?.onCaseBegin,
    onStepBegin: live?.onStepBegin,
    onRunBegin(info) {
      live?.onRunBegin(info);
      if (info.cases === 0) return;
      const stations = info.stationIds.map((id) => `${info.target}/${id}`).join(', ');
      const where = info.sut === 'cs'
        ? (info.reference ? `the built-in reference station connects to the harness's CSMS as ${stations}` : `the harness's CSMS listens at ${info.target}; connect the station as ${stations}`)
        : `connecting to the ${info.reference ? 'built-in reference ' : ''}CSMS at ${info.target} as ${info.stationIds.join(', ')}`;
      output.write(`${where}\n`);
      if (info.trustRoot) output.write(`TLS: the station must trust ${info.trustRoot} as its CSMS root certificate (CSMSRootCertificate)\n`);
    },
    onCaseEnd(result: CaseResult) {
      live?.onCaseEnd(result);
      output.write(`${(isRelayed(result) ? RELAYED_MARK : MARK[result.verdict]).padEnd(12)} ${result.id.padEnd(16)} ${result.title}  (${result.durationMs} ms)\n`);
      if (result.verdict !== 'pass') output.write(`${' '.repeat(13)}${shortened(result.reason)}\n`);
      // Issue 13: a pass with warnings says so.
      else if (warningsLine(result)) output.write(`${' '.repeat(13)}warnings: ${shortened(warningsLine(result))}\n`);
    },
    onRunEnd(result: RunResult) {
      live?.stop();
      writeSummary(given, result);
    },
  };
}

/** Quiet: one character per case as it finishes (. pass, F fail, E error, I inconclusive, - not applicable, s skipped), then the summary. */
export function createDotReporter(output: NodeJS.WritableStream): SuiteListener & { onRunEnd(result: RunResult): void } {
  return {
    onCaseEnd(result: CaseResult) {
      output.write(DOT[result.verdict]);
    },
    onRunEnd(result: RunResult) {
      output.write('\n');
      writeSummary(output, result);
    },
  };
}

const DOT: Record<Verdict, string> = { pass: '.', fail: 'F', error: 'E', inconclusive: 'I', 'not-applicable': '-', skipped: 's' };

/** How many case ids a line of the summary names before "and N more". */
const IDS_PER_LINE = 8;

/**
 * The not-applicable cases, one line per reason: what the configuration, or the station under
 * test itself (1.6: SupportedFeatureProfiles, its keys), does not declare.
 */
function writeNotApplicable(output: NodeJS.WritableStream, result: RunResult): void {
  const byReason = new Map<string, string[]>();
  for (const skipped of result.cases) {
    if (skipped.verdict === 'not-applicable') byReason.set(skipped.reason, [...(byReason.get(skipped.reason) ?? []), skipped.id]);
  }
  for (const [reason, ids] of byReason) {
    const more = ids.length > IDS_PER_LINE ? ` and ${ids.length - IDS_PER_LINE} more` : '';
    output.write(`not applicable: ${ids.slice(0, IDS_PER_LINE).join(', ')}${more}: ${shortened(reason)}\n`);
  }
}

/** The counts, the run's own findings, and each failure with its step, requirements, expected and actual. */
function writeSummary(output: NodeJS.WritableStream, result: RunResult): void {
  const relayed = result.cases.filter(isRelayed).length;
  const counts = VERDICTS.filter((verdict) => result.counts[verdict] > 0).map((verdict) => `${result.counts[verdict]} ${verdict}${verdict === 'pass' && relayed > 0 ? ` (${relayed} relayed)` : ''}`);
  output.write(`\n${result.cases.length} cases: ${counts.join(', ') || 'none'} in ${(result.durationMs / 1000).toFixed(1)} s${result.interrupted ? ' (interrupted)' : ''}\n`);
  const outside = result.findings ?? [];
  if (outside.length > 0) output.write(`between cases: ${countOccurrences(outside)} finding(s) on frames of the SUT, e.g. ${shortened(findingText(outside[0]!))} (results.json findings)\n`);
  if (relayed > 0) output.write(`relayed: every value those passes checked was passed on to the SUT by the device-action adapter (csmsSend params), so they show that it relayed the request, not that it built one\n`);
  writeNotApplicable(output, result);
  for (const failed of result.cases) {
    if (failed.verdict !== 'fail' && failed.verdict !== 'error') continue;
    const { failure } = failed;
    output.write(`\n${MARK[failed.verdict]} ${failed.id}: ${failed.title}\n`);
    output.write(`  step ${failure.step}: ${failure.stepTitle}\n`);
    for (const requirement of failure.requirements) output.write(`  ${requirement.id}: ${requirement.text}\n`);
    for (const expected of failure.expected) output.write(`  Expected: ${expected}\n`);
    output.write(`  Actual:   ${shortened(failure.actual)}\n`);
    // Whole and line by line: its columns are the comparison (a composite schedule, period by period).
    if (failure.table) output.write(indented(failure.table, '            '));
    if (failed.trace) output.write(`  Trace:    ${failed.trace}\n`);
  }
}

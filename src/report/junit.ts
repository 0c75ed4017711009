import { isRelayed, type CaseResult, type FailureResult, type RunResult } from '../runner/index.js';
import { findingText } from './finding-text.js';
import { redactText } from './redact.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

// Reasons and step details quote what the SUT sent; the same defensive redaction as the HTML report.
const attr = (value: string) => escapeXmlAttribute(redactText(value));
const text = (value: string) => escapeXmlText(redactText(value));

// A relayed pass stays a pass for CI; the note says what it showed.
const RELAYED_NOTE = 'every value this pass checked was passed on to the SUT by the device-action adapter';

/** The JUnit suite a case belongs to: `ocpp<version>.<sut>.<module>`, e.g. ocpp2.0.1.cs.core. */
export function junitSuiteName(result: Pick<CaseResult, 'ocpp' | 'sut' | 'module'>): string {
  return `ocpp${result.ocpp}.${result.sut}.${result.module}`;
}

/**
 * Renders a run as surefire-style JUnit XML: one `<testsuite>` per module, one `<testcase>` per
 * case. fail → `<failure>`, error → `<error>`, and the verdicts that are neither pass nor a defect
 * of the SUT (inconclusive, not-applicable, skipped) → `<skipped>`, so CI servers count them apart.
 */
export function renderJUnit(run: RunResult): string {
  const suites = new Map<string, CaseResult[]>();
  for (const result of run.cases) {
    const name = junitSuiteName(result);
    suites.set(name, [...(suites.get(name) ?? []), result]);
  }
  const total = tally(run.cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`ocpp-harness ocpp${run.ocpp} sut ${run.sut}`)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${seconds(run.durationMs)}">`,
  ];
  for (const [name, cases] of suites) lines.push(...renderSuite(name, cases, run));
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function renderSuite(name: string, cases: CaseResult[], run: RunResult): string[] {
  const count = tally(cases);
  const time = cases.reduce((sum, result) => sum + result.durationMs, 0);
  const timestamp = cases.map((result) => result.startedAt).sort()[0] ?? run.startedAt;
  const lines = [
    `  <testsuite name="${attr(name)}" tests="${count.tests}" failures="${count.failures}" errors="${count.errors}" skipped="${count.skipped}" time="${seconds(time)}" timestamp="${attr(timestamp.replace(/Z$/, ''))}">`,
    '    <properties>',
    ...properties(run).map(([key, value]) => `      <property name="${attr(key)}" value="${attr(value)}"/>`),
    '    </properties>',
  ];
  for (const result of cases) lines.push(...renderCase(name, result));
  lines.push('  </testsuite>');
  return lines;
}

function renderCase(suite: string, result: CaseResult): string[] {
  const open = `    <testcase classname="${attr(suite)}" name="${attr(`${result.id}: ${result.title}`)}" time="${seconds(result.durationMs)}">`;
  const body: string[] = [];
  if (result.verdict === 'fail') body.push(`      <failure message="${attr(result.reason)}" type="fail">${text(failureText(result))}</failure>`);
  else if (result.verdict === 'error') body.push(`      <error message="${attr(result.reason)}" type="error">${text(failureText(result))}</error>`);
  else if (result.verdict !== 'pass') body.push(`      <skipped message="${attr(`${result.verdict}: ${result.reason}`)}"/>`);
  const warnings = result.verdict === 'pass' ? result.findings.filter((finding) => finding.severity === 'warning').map((finding) => `warning: ${findingText(finding)}`) : [];
  const out = [result.trace ? `trace: ${result.trace}` : '', result.stationId ? `station: ${result.stationId}` : '', isRelayed(result) ? `relayed: ${RELAYED_NOTE}` : '', ...warnings].filter(Boolean);
  if (out.length > 0) body.push(`      <system-out>${text(out.join('\n'))}</system-out>`);
  return body.length === 0 ? [open.replace(/>$/, '/>')] : [open, ...body, '    </testcase>'];
}

/** The body of a failure or error: the step, its requirements, Expected/Actual, as the console prints them. */
function failureText({ failure, trace }: FailureResult): string {
  const lines = [`Step ${failure.step}: ${failure.stepTitle}`];
  for (const requirement of failure.requirements) lines.push(`Requirement ${requirement.id}: ${requirement.text}`);
  for (const expected of failure.expected) lines.push(`Expected: ${expected}`);
  lines.push(`Actual:   ${failure.actual}`);
  if (failure.table) lines.push(failure.table);
  if (trace) lines.push(`Trace:    ${trace}`);
  return lines.join('\n');
}

function properties(run: RunResult): Array<[string, string]> {
  const identity = run.sutIdentity;
  const entries: Array<[string, string | undefined]> = [
    ['harness.version', run.harness.version], ['ocpp', run.ocpp], ['sut', run.sut], ['target', run.target], ['configHash', run.configHash],
    ['sut.vendor', identity?.vendor], ['sut.model', identity?.model], ['sut.firmwareVersion', identity?.firmwareVersion], ['sut.serialNumber', identity?.serialNumber],
  ];
  return entries.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
}

function tally(cases: readonly CaseResult[]): { tests: number; failures: number; errors: number; skipped: number } {
  const of = (verdicts: string[]) => cases.filter((result) => verdicts.includes(result.verdict)).length;
  return { tests: cases.length, failures: of(['fail']), errors: of(['error']), skipped: of(['inconclusive', 'not-applicable', 'skipped']) };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

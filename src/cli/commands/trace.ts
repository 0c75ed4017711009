import type { Command } from 'commander';
import { Option } from 'commander';
import { OCPP_VERSIONS, TRACE_INPUTS, countOccurrences, inspectTraceFile, renderTraceFileHtml, type OcppVersion, type PlacedFinding, type TraceInput, type TraceInspection } from '../../api.js';
import { ExitCode } from '../exit-codes.js';
import { parsePositiveInteger } from '../usage-error.js';

interface TraceFlags {
  ocpp?: OcppVersion;
  format: 'text' | 'json' | 'html';
  input: TraceInput;
  callTimeout?: number;
}

/** Registers `ocpp-harness trace FILE`. */
export function registerTraceCommand(program: Command): void {
  program
    .command('trace')
    .description('check a recorded open-ocpp-trace v1.1 file or frame log: framing, schemas, correlation')
    .argument('<file>', 'JSONL trace file (ours or any open-ocpp-trace v1.1 producer\'s), or a frame log with --input frames')
    .addOption(new Option('--input <kind>', 'what the file holds: trace (open-ocpp-trace records) or frames (one frame per line: "[timestamp] > frame", or {t, dir, frame} JSON lines; needs --ocpp)').choices(TRACE_INPUTS).default('trace'))
    .addOption(new Option('--ocpp <version>', 'OCPP version, when the records do not say it (overrides them)').choices(OCPP_VERSIONS))
    .addOption(new Option('--format <format>', 'output format; html is a self-contained wire-log page with the findings (redirect it to a file)').choices(['text', 'json', 'html']).default('text'))
    .addOption(new Option('--call-timeout <ms>', 'after this long without an answer a CALL counts as timed out').argParser(parsePositiveInteger('--call-timeout', '30000')))
    .addHelpText('after', '\nExit codes: 0 no violation, 1 at least one violation, 2 the file cannot be read, holds no records or is in another format.\nExample: ocpp-harness trace reports/traces/TC_B_01_CS.jsonl --format json\n         ocpp-harness trace station.log --input frames --ocpp 2.0.1\n         ocpp-harness trace reports/traces/TC_B_01_CS.jsonl --format html > TC_B_01_CS.html')
    .action((file: string, flags: TraceFlags) => runTrace(file, flags));
}

function runTrace(file: string, flags: TraceFlags): void {
  let inspection: TraceInspection;
  let html = '';
  const options = { input: flags.input, ...(flags.ocpp ? { version: flags.ocpp } : {}), ...(flags.callTimeout ? { callTimeoutMs: flags.callTimeout } : {}) };
  if (flags.format === 'html') ({ html, inspection } = renderTraceFileHtml(file, options));
  else inspection = inspectTraceFile(file, options);
  process.stdout.write(flags.format === 'html' ? html : flags.format === 'json' ? `${JSON.stringify({ file, ...inspection }, null, 2)}\n` : formatText(file, inspection));
  process.exitCode = inspection.findings.some((f) => f.severity === 'violation') ? ExitCode.Violation : ExitCode.Ok;
}

function formatText(file: string, inspection: TraceInspection): string {
  const versions = inspection.versions.length > 0 ? `OCPP ${inspection.versions.join(', ')}` : 'OCPP version unknown';
  // A grouped finding (issue 14) counts for all the occurrences it stands for.
  const violations = countOccurrences(inspection.findings.filter((f) => f.severity === 'violation'));
  const lines = [`${file}: ${versions}, ${inspection.records.length} records, ${violations} violations, ${countOccurrences(inspection.findings) - violations} other findings`];
  for (const finding of inspection.findings) lines.push(formatFinding(finding));
  if (inspection.findings.length === 0) lines.push('  no findings');
  return `${lines.join('\n')}\n`;
}

function formatFinding(finding: PlacedFinding): string {
  const times = finding.count === undefined ? '' : ` ×${finding.count} (${finding.firstAt} to ${finding.lastAt}, 5 listed before)`;
  return `  line ${finding.line} (record ${finding.index})  ${finding.severity}  ${finding.code}: ${finding.message}${times}  [${finding.rule}]`;
}

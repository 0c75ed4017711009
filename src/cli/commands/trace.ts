import { once } from 'node:events';
import type { Command } from 'commander';
import { Option } from 'commander';
import {
  DEFAULT_MAX_LINE_BYTES, OCPP_VERSIONS, TRACE_INPUTS, inspectTraceFileStreaming, useTraceHeapSettings, workerCountFor, writeTraceFileHtml,
  type InspectionSummary, type OcppVersion, type PlacedFinding, type StreamInspectOptions, type TraceInput,
} from '../../api/trace.js';
import { ExitCode } from '../exit-codes.js';
import { parseCount, parsePositiveInteger } from '../usage-error.js';

interface TraceFlags {
  ocpp?: OcppVersion;
  format: 'text' | 'json' | 'html';
  input: TraceInput;
  callTimeout?: number;
  maxLineBytes?: number;
  threads?: number;
}

/** Registers `ocpp-harness trace FILE`. */
export function registerTraceCommand(program: Command): void {
  program
    .command('trace')
    .description('check a recorded open-ocpp-trace v1.1 file or frame log: framing, schemas, correlation (streamed: any file size)')
    .argument('<file>', 'JSONL trace file (ours or any open-ocpp-trace v1.1 producer\'s), or a frame log with --input frames')
    .addOption(new Option('--input <kind>', 'what the file holds: trace (open-ocpp-trace records) or frames (one frame per line: "[timestamp] > frame", or {t, dir, frame} JSON lines; needs --ocpp)').choices(TRACE_INPUTS).default('trace'))
    .addOption(new Option('--ocpp <version>', 'OCPP version, when the records do not say it (overrides them)').choices(OCPP_VERSIONS))
    .addOption(new Option('--format <format>', 'output format: text, json (findings as they are found, then the counts) or html (a self-contained wire-log page with the findings; redirect it to a file)').choices(['text', 'json', 'html']).default('text'))
    .addOption(new Option('--call-timeout <ms>', 'after this long without an answer a CALL counts as timed out').argParser(parsePositiveInteger('--call-timeout', '30000')))
    .addOption(new Option('--threads <n>', 'worker threads that read and check the records of a file of 8 MiB or more, while the main thread keeps their order (default: 1 on a machine with 2 or more CPUs, else 0; text and json output)').argParser(parseCount('--threads', 16)))
    .addOption(new Option('--max-line-bytes <n>', `a longer line is reported record-unreadable, never held (default ${DEFAULT_MAX_LINE_BYTES})`).argParser(parsePositiveInteger('--max-line-bytes', String(DEFAULT_MAX_LINE_BYTES))))
    .addHelpText('after', '\nExit codes: 0 no violation, 1 at least one violation, 2 the file cannot be read, holds no records or is in another format.\nExample: ocpp-harness trace reports/traces/TC_B_01_CS.jsonl --format json\n         ocpp-harness trace station.log --input frames --ocpp 2.0.1\n         ocpp-harness trace reports/traces/TC_B_01_CS.jsonl --format html > TC_B_01_CS.html')
    .action((file: string, flags: TraceFlags) => runTrace(file, flags));
}

async function runTrace(file: string, flags: TraceFlags): Promise<void> {
  useTraceHeapSettings();
  const options: StreamInspectOptions = {
    input: flags.input, ...(flags.ocpp ? { version: flags.ocpp } : {}), ...(flags.callTimeout ? { callTimeoutMs: flags.callTimeout } : {}),
    ...(flags.maxLineBytes ? { maxLineBytes: flags.maxLineBytes } : {}),
  };
  let summary: InspectionSummary;
  if (flags.format === 'html') {
    summary = await writeTraceFileHtml(file, process.stdout, options);
  } else {
    const out = new OutputBuffer();
    const json = flags.format === 'json';
    let count = 0;
    if (json) out.add(`{"file":${JSON.stringify(file)},"findings":[`);
    // The records' stateless checks run in worker threads when the file is large (same findings).
    const workers = workerCountFor(file, flags.threads);
    summary = await inspectTraceFileStreaming(file, {
      finding: (finding) => out.add(json ? `\n${count++ === 0 ? '' : ','}${JSON.stringify(finding)}` : `${formatFinding(finding)}\n`),
      line: () => out.flushIfFull(),
    }, { ...options, workers });
    if (json) {
      out.add(`${count > 0 ? '\n' : ''}], ${JSON.stringify(summary).slice(1)}\n`);
    } else {
      if (summary.severities.violation + summary.severities.warning + summary.severities.info === 0) out.add('  no findings\n');
      out.add(`${formatSummary(file, summary)}\n`);
    }
    await out.flush();
  }
  process.exitCode = summary.severities.violation > 0 ? ExitCode.Violation : ExitCode.Ok;
}

/**
 * Output written as it comes, in chunks, waiting when stdout is behind so that a trace with a
 * million findings is never held in memory. Nothing is written until the file proved readable
 * (the first chunk leaves once 64 KiB are due, after the format check), so an unreadable file
 * gives its one error line and no output.
 */
class OutputBuffer {
  private chunks: string[] = [];
  private size = 0;

  add(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
  }

  flushIfFull(): Promise<void> | undefined {
    return this.size >= 64 * 1024 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    const text = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  }
}

function formatSummary(file: string, summary: InspectionSummary): string {
  const versions = summary.versions.length > 0 ? `OCPP ${summary.versions.join(', ')}` : 'OCPP version unknown';
  const { violation, warning, info } = summary.severities;
  return `${file}: ${versions}, ${summary.records} records, ${violation} violations, ${warning + info} other findings`;
}

function formatFinding(finding: PlacedFinding): string {
  const times = finding.count === undefined ? '' : ` ×${finding.count} (${finding.firstAt} to ${finding.lastAt}, 5 listed before)`;
  return `  line ${finding.line} (record ${finding.index})  ${finding.severity}  ${finding.code}: ${finding.message}${times}  [${finding.rule}]`;
}

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { checkTestcases, inspectTraceFile, isOcppVersion, loadRunConfig, packageInfo, renderTraceFileHtml, type OcppVersion } from '../api.js';
import { MessageType, checkErrorFrame, checkPayloadWith, parseFrame, schemasOf, serializeFrame } from '../protocol/index.js';
import type { Syntax } from './mutators.js';

/**
 * One input: its bytes, and its place, a relative path that says how the target reads it (the
 * OCPP version of a frame, a trace's input kind, a test case's folder). A crash fixture keeps the
 * place as its folder under fixtures/fuzz/<target>/.
 */
export interface FuzzInput {
  place: string;
  bytes: Buffer;
}

/**
 * What is fuzzed: an entry point that reads untrusted text. `run` returns when the input was
 * handled, as a result or as one of the harness's own errors (an `OH_` code, printed by the CLI as
 * one line); anything else it throws is a crash.
 */
export interface FuzzTarget {
  name: string;
  /** The module that exports the target (its `import.meta.url`): the worker thread that runs the inputs imports it from there. */
  module: string;
  syntaxOf(place: string): Syntax;
  /** The seed corpus, read from the repository. */
  seeds(): FuzzInput[];
  /** Prepares what every run needs (a scratch folder); `close` removes it. */
  open(): Promise<void>;
  run(input: FuzzInput): Promise<void> | void;
  close(): Promise<void>;
}

const ROOT = packageInfo().root;

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** A scratch folder where inputs are written as files, for the targets that read files. */
class Scratch {
  private directory: string | undefined;

  open(prefix: string): string {
    this.directory = mkdtempSync(join(tmpdir(), `ocpp-harness-fuzz-${prefix}-`));
    return this.directory;
  }

  get path(): string {
    if (!this.directory) throw new Error('the fuzz target is not open');
    return this.directory;
  }

  write(place: string, bytes: Buffer): string {
    const path = join(this.path, place);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    return path;
  }

  close(): void {
    if (this.directory) rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }
}

// ---- frames: the protocol layer's parser and the checks every received frame goes through -------

/** Every frame of the trace fixtures (a record's raw text, a frame log's frame) under its version. */
function frameSeeds(): FuzzInput[] {
  const seeds: FuzzInput[] = [];
  for (const file of filesUnder(join(ROOT, 'fixtures/traces'))) {
    const version: OcppVersion = file.includes('16') ? '1.6' : '2.0.1';
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      let frame: string | undefined;
      try {
        const record = JSON.parse(line) as { raw?: unknown; frame?: unknown };
        frame = typeof record.raw === 'string' ? record.raw : record.frame === undefined ? undefined : typeof record.frame === 'string' ? record.frame : JSON.stringify(record.frame);
      } catch {
        const start = line.search(/\[/);
        frame = start >= 0 && !line.startsWith('#') ? line.slice(start) : undefined;
      }
      if (frame) seeds.push({ place: `${version}/frame.json`, bytes: Buffer.from(frame, 'utf8') });
    }
  }
  return seeds;
}

function versionOfPlace(place: string): OcppVersion {
  const version = place.split('/')[0];
  if (!isOcppVersion(version)) throw new Error(`a frame input sits under a version folder (1.6/, 2.0.1/, 2.1/), not ${place}`);
  return version;
}

/**
 * parseFrame as a session calls it on every text frame (which WebSocket has already decoded as
 * UTF-8), then the payload and error checks of a well-formed frame. Beyond "no exception", a
 * frame it accepts must read back the same once written out again (serializeFrame).
 */
export const frameTarget: FuzzTarget = {
  name: 'frame',
  module: import.meta.url,
  syntaxOf: () => 'json',
  seeds: frameSeeds,
  open: async () => undefined,
  close: async () => undefined,
  run(input) {
    const version = versionOfPlace(input.place);
    const parsed = parseFrame(input.bytes.toString('utf8'), version);
    if (!parsed.ok) return;
    const { frame } = parsed;
    const again = parseFrame(serializeFrame(frame), version);
    if (!again.ok || JSON.stringify(again.frame) !== JSON.stringify(frame)) throw new Error(`frame ${JSON.stringify(frame).slice(0, 80)} does not read back the same after serializeFrame`);
    const schemas = schemasOf(version);
    if (frame.type === MessageType.Call || frame.type === MessageType.Send) checkPayloadWith(schemas, frame.action, 'request', frame.payload, frame.messageId);
    else if (frame.type === MessageType.CallResult) checkPayloadWith(schemas, 'Heartbeat', 'response', frame.payload, frame.messageId);
    else checkErrorFrame(frame, version);
  },
};

// ---- traces: `ocpp-harness trace FILE` in its text, json and html forms ---------------------------

/** Where a trace input sits says how `trace` reads it: `trace/` as records, `frames-<version>/` as a frame log. */
function traceOptions(place: string): { input: 'trace' | 'frames'; version?: OcppVersion } {
  const [folder = ''] = place.split('/');
  if (folder === 'trace') return { input: 'trace' };
  const version = folder.replace(/^frames-/, '');
  if (!folder.startsWith('frames-') || !isOcppVersion(version)) throw new Error(`a trace input sits under trace/ or frames-<version>/, not ${place}`);
  return { input: 'frames', version };
}

function traceSeeds(): FuzzInput[] {
  return filesUnder(join(ROOT, 'fixtures/traces')).filter((file) => !file.endsWith('.md')).map((file) => {
    const name = relative(join(ROOT, 'fixtures/traces'), file);
    const frames = name.includes('.frames.');
    return { place: frames ? `frames-${name.includes('16') ? '1.6' : '2.0.1'}/${name}` : `trace/${name}`, bytes: readFileSync(file) };
  });
}

const traceScratch = new Scratch();

export const traceTarget: FuzzTarget = {
  name: 'trace',
  module: import.meta.url,
  syntaxOf: (place) => (place.endsWith('.log') ? 'frame-log' : 'jsonl'),
  seeds: traceSeeds,
  open: async () => void traceScratch.open('trace'),
  close: async () => traceScratch.close(),
  run(input) {
    const path = traceScratch.write(input.place, input.bytes);
    const options = traceOptions(input.place);
    // What `trace --format json` prints, then what `trace --format html` renders.
    JSON.stringify(inspectTraceFile(path, options));
    renderTraceFileHtml(path, options);
  },
};

// ---- test cases: `ocpp-harness check FILE --testcases TREE` ----------------------------------------

const TESTCASES = join(ROOT, 'testcases');
const testcaseScratch = new Scratch();

function testcaseSeeds(): FuzzInput[] {
  return filesUnder(TESTCASES).filter((file) => /\.ya?ml$/.test(file)).map((file) => ({ place: relative(TESTCASES, file), bytes: readFileSync(file) }));
}

/**
 * Each input is written at its place in a scratch copy of the shipped tree's folder files
 * (`_defaults.yaml`, `_requirements.yaml`) and reusable states, checked as `check` checks it, and
 * the place is put back as it was. A mutated case meets real states and requirement catalogues.
 */
export const testcaseTarget: FuzzTarget = {
  name: 'testcase',
  module: import.meta.url,
  syntaxOf: () => 'yaml',
  seeds: testcaseSeeds,
  async open() {
    const root = testcaseScratch.open('testcases');
    cpSync(TESTCASES, root, { recursive: true, filter: (source) => !/\.ya?ml$/.test(source) || /(^|\/)(_[^/]+|states\/.*)\.ya?ml$/.test(relative(TESTCASES, source)) });
  },
  close: async () => testcaseScratch.close(),
  run(input) {
    const original = join(TESTCASES, input.place);
    const path = testcaseScratch.write(input.place, input.bytes);
    try {
      checkTestcases([path], testcaseScratch.path);
    } finally {
      const kept = /(^|\/)(_[^/]+|states\/.*)\.ya?ml$/.test(input.place);
      if (kept) writeFileSync(path, readFileSync(original));
      else rmSync(path, { force: true });
    }
  },
};

// ---- configuration: `--config FILE` ---------------------------------------------------------------

const configScratch = new Scratch();

function configSeeds(): FuzzInput[] {
  return filesUnder(join(ROOT, 'fixtures/config')).map((file) => ({ place: `config${extname(file)}`, bytes: readFileSync(file) }));
}

export const configTarget: FuzzTarget = {
  name: 'config',
  module: import.meta.url,
  syntaxOf: () => 'yaml',
  seeds: configSeeds,
  open: async () => void configScratch.open('config'),
  close: async () => configScratch.close(),
  run(input) {
    loadRunConfig(configScratch.write(input.place, input.bytes), {});
  },
};

/** Every target, by name. */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [frameTarget, traceTarget, testcaseTarget, configTarget];

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The hostile-peer corpus (issue 14): one declarative entry per hostile input in fixtures/hostile/,
 * played by a scripted peer against the real harness. fixtures/hostile/README.md documents the format.
 */

/** Which side the hostile peer plays: a station against the harness-as-CSMS (sut cs), or a CSMS against the harness-as-station (sut csms). */
export type PeerRole = 'station' | 'csms';

/** One step of a hostile script; each acts on the hostile connection (see the README). */
export type ScriptOp =
  | { text: string; repeat?: number }
  | { textHex: string; mustBeTraced?: boolean }
  | { binary: string }
  | { fragments: { text: string; at: number[] } }
  | { splitWrites: { text: string; at: number[] } }
  | { bigText: { bytes: number; mustBeTraced?: boolean } }
  | { flood: { count: number; frame: string } }
  | { pings: { count: number } }
  | { close: { code: number; reason?: string } }
  | { stopReading: true }
  | { goSilent: true }
  | { disconnect: true }
  | { halfClose: true }
  | { ignoreClose: true }
  | { awaitClose: true }
  | { awaitAnswer: string }
  | { replace: true }
  | { finishCase: true }
  | { awaitNextCase: true };

/** How the hostile connection's opening handshake goes, when it is the hostile part. */
export interface UpgradeMisbehaviour {
  /** Send the handshake (station: the request; csms: the 101 response) one byte per `trickleMs`. */
  trickleMs?: number;
  /** Never finish it: after the first line, header bytes without end. */
  endless?: boolean;
  /** Send only this many bytes of it, then nothing more (an unfinished upgrade). */
  stallAfterBytes?: number;
}

/** What the harness must make of the entry. */
export interface EntryExpectation {
  /** Verdict of the hostile case (OH_HOSTILE_01_*); the next case (OH_HOSTILE_02_*) must pass. */
  verdict: 'pass' | 'fail' | 'error';
  /** A finding code that must be on the SUT's frames somewhere in the run's traces or results. */
  finding?: string;
  /** The rule that finding cites, e.g. "OCPP-J 2.0.1 §4.2". */
  rule?: string;
  /** The close code of the close frame the harness sends on the hostile connection. */
  closeCode?: number;
  /** The findings of `finding` are grouped: one carries this count. */
  groupedCount?: number;
  /** The run ends within this many ms of its last case's result. */
  endsWithinMs?: number;
  /** Side connections (sideUpgrades) are dropped by the harness within this many ms. */
  sideDroppedWithinMs?: number;
}

/** One corpus entry, as written in fixtures/hostile/<id>.yaml. */
export interface CorpusEntry {
  id: string;
  title: string;
  /** Where the entry comes from: the words, the RFC or OCPP-J section. */
  why: string;
  roles: PeerRole[];
  script: ScriptOp[];
  /** The hostile connection's handshake, per role. */
  upgrade?: Partial<Record<PeerRole, UpgradeMisbehaviour>>;
  /** Station role: this many extra connections whose upgrade misbehaves, beside the station. */
  sideUpgrades?: { count: number } & UpgradeMisbehaviour;
  expect: EntryExpectation;
  /** Per-role changes to `expect`. */
  expectByRole?: Partial<Record<PeerRole, Partial<EntryExpectation>>>;
  /** The harness's peak resident set size must stay under this (MiB). */
  peakRssMb: number;
  /** The whole run (both cases) must end within this; past it, the harness counts as hung. */
  maxRunMs: number;
  /** Harness configuration merged over the corpus's (see the README). */
  config?: Record<string, unknown>;
}

export const CORPUS_DIR = new URL('../../../fixtures/hostile/', import.meta.url).pathname;
export const CORPUS_CASES = join(CORPUS_DIR, 'cases');

const OP_NAMES = ['text', 'textHex', 'binary', 'fragments', 'splitWrites', 'bigText', 'flood', 'pings', 'close', 'stopReading', 'goSilent', 'disconnect', 'halfClose', 'ignoreClose', 'awaitClose', 'awaitAnswer', 'replace', 'finishCase', 'awaitNextCase'];
const ENTRY_KEYS = ['id', 'title', 'why', 'roles', 'script', 'upgrade', 'sideUpgrades', 'expect', 'expectByRole', 'peakRssMb', 'maxRunMs', 'config'];

/** Every entry of the corpus, by file name; a malformed entry throws with its file and what is wrong. */
export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  return files.map((name) => {
    const entry = parse(readFileSync(join(dir, name), 'utf8')) as CorpusEntry;
    const problem = problemOf(entry, name);
    if (problem) throw new Error(`fixtures/hostile/${name}: ${problem}`);
    return entry;
  });
}

/** The expectation of an entry for one role. */
export function expectationFor(entry: CorpusEntry, role: PeerRole): EntryExpectation {
  return { ...entry.expect, ...entry.expectByRole?.[role] };
}

function problemOf(entry: CorpusEntry, file: string): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not a mapping';
  const unknown = Object.keys(entry).filter((key) => !ENTRY_KEYS.includes(key));
  if (unknown.length > 0) return `unknown keys ${unknown.join(', ')}`;
  if (`${entry.id}.yaml` !== file) return `id "${entry.id}" must match the file name`;
  if (!entry.title || !entry.why) return 'title and why are required';
  if (!Array.isArray(entry.roles) || entry.roles.length === 0 || entry.roles.some((role) => role !== 'station' && role !== 'csms')) return 'roles: station and/or csms';
  if (!Array.isArray(entry.script)) return 'script must be a list';
  for (const [index, op] of entry.script.entries()) {
    const keys = Object.keys(op);
    if (keys.length !== 1 && !('repeat' in op && keys.length === 2)) return `script[${index}]: one operation per step`;
    if (!OP_NAMES.includes(keys[0]!)) return `script[${index}]: unknown operation "${keys[0]}"`;
  }
  if (!entry.expect || !['pass', 'fail', 'error'].includes(entry.expect.verdict)) return 'expect.verdict: pass, fail or error';
  if (!(entry.peakRssMb > 0) || !(entry.maxRunMs > 0)) return 'peakRssMb and maxRunMs are required';
  return undefined;
}

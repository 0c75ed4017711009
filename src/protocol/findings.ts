import type { OcppVersion } from './versions.js';

/** How much a finding weighs: a `violation` breaks a MUST/SHALL, a `warning` a SHOULD, `info` is a fact. */
export type Severity = 'violation' | 'warning' | 'info';

/** Stable names of every protocol-level finding ocpp-harness reports. */
export type FindingCode =
  | 'frame-invalid'
  | 'message-type-unknown'
  | 'message-id-invalid'
  | 'action-unknown'
  | 'schema-violation'
  | 'callerror-invalid'
  | 'orphan-response'
  | 'late-response'
  | 'duplicate-response'
  | 'duplicate-message-id'
  | 'concurrent-call'
  | 'unanswered-call'
  | 'call-timeout'
  | 'binary-frame'
  | 'pong-missing'
  | 'record-unreadable'
  | 'raw-mismatch'
  | 'datetime-precision'
  | 'decimal-precision'
  | 'identifier-charset'
  | 'integer-form'
  | 'callerror-code-unexpected'
  | 'seqno-gap'
  | 'heartbeat-interval'
  | 'idtokeninfo-missing'
  | 'frame-too-large'
  | 'frame-invalid-utf8'
  | 'peer-not-reading'
  | 'close-timeout'
  | 'handshake-timeout'
  | 'nesting-too-deep';

/** Something observed about the peer's (or a trace's) protocol behaviour; data, never thrown. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line: what happened, with the values involved. */
  message: string;
  /** Where the rule is written, e.g. "OCPP-J 2.0.1 §4.1.1". */
  rule: string;
  /** The message id the finding concerns, when there is one. */
  messageId?: string;
  /**
   * Set on a grouped finding only (see FindingGroups): how often its code occurred on its
   * connection in all, the occurrences listed in full before it included.
   */
  count?: number;
  /** A grouped finding's first and last occurrence (ISO 8601, the records' timestamps). */
  firstAt?: string;
  lastAt?: string;
}

interface RuleEntry {
  severity: Severity | ((version: OcppVersion) => Severity);
  rule: (version: OcppVersion) => string;
}

const j = (section: string) => (version: OcppVersion) => `OCPP-J ${version} §${section}`;
const part2 = (where: string) => (version: OcppVersion) => `OCPP ${version} Part 2 ${where}`;

// One table for all codes, so the live session and the trace inspector cite the same rules.
const RULES: Record<FindingCode, RuleEntry> = {
  'frame-invalid': { severity: 'violation', rule: j('4.2') },
  'message-type-unknown': { severity: 'violation', rule: j('4.1.3') },
  'message-id-invalid': { severity: 'violation', rule: j('4.1.4') },
  'action-unknown': { severity: 'violation', rule: j('4.1.6') },
  'schema-violation': { severity: 'violation', rule: (v) => (v === '1.6' ? 'OCPP 1.6 JSON schemas' : `OCPP ${v} Part 3 JSON schemas`) },
  'callerror-invalid': { severity: 'violation', rule: j('4.2.3') },
  'orphan-response': { severity: 'violation', rule: j('4.1.4') },
  'late-response': { severity: 'warning', rule: j('4.1.1') },
  'duplicate-response': { severity: 'violation', rule: j('4.1.4') },
  'duplicate-message-id': { severity: 'violation', rule: j('4.1.4') },
  // OCPP-J 1.6 §4.1.1 says SHOULD NOT; 2.0.1 and 2.1 §4.1.1 say SHALL NOT.
  'concurrent-call': { severity: (v) => (v === '1.6' ? 'warning' : 'violation'), rule: j('4.1.1') },
  'unanswered-call': { severity: 'violation', rule: j('4.1.1') },
  'call-timeout': { severity: 'violation', rule: j('4.1.1') },
  'binary-frame': { severity: 'violation', rule: j('4.1.2') },
  'pong-missing': { severity: 'warning', rule: (v) => `OCPP-J ${v} §5 (WebSocket ping, RFC 6455 §5.5.2)` },
  'record-unreadable': { severity: 'violation', rule: () => 'open-ocpp-trace v1.1' },
  'raw-mismatch': { severity: 'violation', rule: () => 'open-ocpp-trace v1.1 (raw fidelity)' },
  // Part 2 §2.1.4 Primitive Datatypes (2.0.1 and 2.1; OCPP 1.6 has no such rules).
  'datetime-precision': { severity: 'violation', rule: part2('§2.1.4 dateTime') },
  'decimal-precision': { severity: 'violation', rule: part2('§2.1.4 decimal') },
  'identifier-charset': { severity: 'violation', rule: part2('§2.1.4 identifierString') },
  'integer-form': { severity: 'violation', rule: part2('§2.1.4 integer') },
  // Which code answers which fault: OCPP-J 1.6 §4.2.3 Table 7; 2.0.1 and 2.1 §4.3 Table 8 and §4.4.
  'callerror-code-unexpected': { severity: 'violation', rule: (v) => (v === '1.6' ? 'OCPP-J 1.6 §4.2.3' : `OCPP-J ${v} §4.3, §4.4`) },
  'seqno-gap': { severity: 'violation', rule: part2('E01.FR.07, §E 1.3.2.1 (seqNo)') },
  // 2.x: SHALL adjust (B01.FR.04) and SHALL send (G02.FR.02); 1.6 §4.2 says "will adjust" and §9.1.10 "should send".
  'heartbeat-interval': {
    severity: (v) => (v === '1.6' ? 'warning' : 'violation'),
    rule: (v) => (v === '1.6' ? 'OCPP 1.6 §4.2, §4.6, §9.1.10' : `OCPP ${v} Part 2 B01.FR.04, G02.FR.02`),
  },
  'idtokeninfo-missing': { severity: 'violation', rule: part2('E01.FR.12, E03.FR.02 (TransactionEventResponse.idTokenInfo)') },
  // Issue 14: the bounds that keep the harness's memory and time finite whatever the peer does.
  'frame-too-large': { severity: 'violation', rule: () => 'RFC 6455 §7.4.1 (1009), limits.maxFrameBytes' },
  'frame-invalid-utf8': { severity: 'violation', rule: (v) => `RFC 6455 §8.1, OCPP-J ${v} §4.1.2` },
  // A peer that never reads makes what we send pile up in our memory; no RFC bounds it, the harness does.
  'peer-not-reading': { severity: 'violation', rule: () => 'ocpp-harness limits.maxBufferedBytes' },
  'close-timeout': { severity: 'warning', rule: () => 'RFC 6455 §5.5.1, §7.1.1, timeouts.closeMs' },
  'handshake-timeout': { severity: 'warning', rule: () => 'RFC 6455 §4.1, §4.2.2' },
  // No OCPP schema nests past a dozen levels; a deeper payload cannot meet its PDU structure (FormatViolation).
  'nesting-too-deep': { severity: 'violation', rule: (v) => (v === '1.6' ? 'OCPP-J 1.6 §4.2.3 (FormationViolation)' : `OCPP-J ${v} §4.3 (FormatViolation)`) },
};

/** Every finding code, in the order of the rule table (`check` names an unknown one in expectedFindings). */
export const FINDING_CODES = Object.keys(RULES) as FindingCode[];

/** True for a code ocpp-harness reports (docs/findings.md lists each). */
export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(RULES, code);
}

/** Builds a finding with the severity and rule citation of its code for the given version. */
export function createFinding(
  version: OcppVersion,
  code: FindingCode,
  message: string,
  messageId?: string,
): Finding {
  const entry = RULES[code];
  const severity = typeof entry.severity === 'function' ? entry.severity(version) : entry.severity;
  const finding: Finding = { code, severity, message, rule: entry.rule(version) };
  if (messageId !== undefined) finding.messageId = messageId;
  return finding;
}

/** True when at least one finding is a violation. */
export function hasViolation(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'violation');
}

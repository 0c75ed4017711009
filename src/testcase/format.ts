import type { OcppVersion } from '../protocol/index.js';

/** Which side is the system under test: a charging station (the harness plays the CSMS) or a CSMS. */
export type Sut = 'cs' | 'csms';

/** A payload pattern (see match.ts for the operators). */
export type Pattern = unknown;

/**
 * What a capture keeps: the value at a dotted path in the payload, or the first element of the
 * array at `in` that matches the pattern `where` (then the value at `path` inside it, if given).
 */
export type Capture = string | { in: string; where: Pattern; path?: string };

/** A payload with Handlebars templates in its strings (see template.ts). */
export type PayloadTemplate = Record<string, unknown>;

/** One acceptable message from the SUT: its action, what its payload must look like, what to keep and how to answer. */
export interface MessageExpectation {
  action: string;
  match?: Pattern;
  /** Name → what to keep from the payload, stored as `captured.<name>`. */
  capture?: Record<string, Capture>;
  /** The answer (a response payload template); without one the background default is used. */
  reply?: PayloadTemplate;
  /** Answer with a CALLERROR instead. */
  replyError?: { code: string; description?: string };
  /** Do not answer at all (the SUT's CALL then times out). */
  noReply?: boolean;
}

/** A message the SUT must not send (or, in assertions, a message to look for). */
export interface MessageSelector {
  action: string;
  match?: Pattern;
  /** Whose messages: the SUT's (default) or the harness's. */
  from?: 'sut' | 'harness';
}

/**
 * What an assertion counts: the SUT's (or the harness's) CALLs of an action, or EVENT records of
 * a kind (`event: http-request`: the SUT's requests to the run's file server), `match` applying
 * to the event's fields.
 */
export type AssertSelector = MessageSelector | EventSelector;

/** EVENT records of one kind in the case's trace (see docs/trace-format.md). */
export interface EventSelector {
  event: string;
  match?: Pattern;
  /** Which side the event concerns: the SUT (default) or the harness. */
  from?: 'sut' | 'harness';
}

/** Fields every step may carry. */
export interface StepCommon {
  /** A name for the step, so assertions can say "since <id>". Defaults to its position. */
  id?: string;
  /** What the step does, for reports. */
  title?: string;
  /** Requirement ids this step proves; each must be listed in the case's `requirements`. */
  checks?: string[];
  /** Messages that fail the case if the SUT sends them while this step runs. */
  forbid?: MessageSelector[];
  /** Run the step once per connector or EVSE of the configuration (`item.evseId`, `item.connectorId`). */
  forEach?: 'connector' | 'evse';
  /** Overrides the configured message timeout for this step (a number, or a template such as '{{config.timeouts.longOperationMs}}'). */
  timeoutMs?: number | string;
}

/** Wait for a CALL from the SUT matching one of the alternatives, and answer it. */
export interface ExpectStep extends StepCommon {
  kind: 'expect';
  alternatives: MessageExpectation[];
  /** Messages the SUT may send before the expected one; they are answered and recorded. */
  allow: MessageExpectation[];
}

/** Send a CALL to the SUT and check its answer. */
export interface SendStep extends StepCommon {
  kind: 'send';
  action: string;
  payload: PayloadTemplate;
  /** Pattern for the CALLRESULT payload. */
  match?: Pattern;
  capture?: Record<string, Capture>;
  /** The answer must be a CALLERROR with one of these codes. */
  error?: string[];
}

/** Ask an adapter to perform a device action (plug in, present a token, make the CSMS send X...). */
export interface ActionStep extends StepCommon {
  kind: 'action';
  action: string;
  params: Record<string, unknown>;
  prompt?: string;
}

/** Wait for a duration or for the connection to go down or come up. */
export interface WaitStep extends StepCommon {
  kind: 'wait';
  durationMs?: number | string;
  until?: 'disconnected' | 'connected';
}

/**
 * Drop the connection, bring it back, or (harness as station) open one with particular options;
 * (harness as CSMS) refuse the station's next attempts.
 */
export interface ConnectionStep extends StepCommon {
  kind: 'connection';
  operation: 'drop' | 'restore' | 'open' | 'refuse';
  /** For `refuse`: how many attempts to turn away (default 1). */
  attempts?: number;
  /** For `refuse`: only attempts at this URL path prefix; for `restore`: the station must connect at it. */
  path?: string;
  /** For `restore` and `refuse`: each attempt comes at least this long after the loss or previous refusal (OCPP-J §5.3). */
  minDelayS?: number | string;
  /** For `open`: subprotocols to offer instead of the case's version. */
  subprotocols?: string[];
  /** For `open`: the Basic-auth password to use instead of the configured one. */
  password?: string;
  /** For `open`: the CSMS must refuse this connection (e.g. it offers only unsupported subprotocols). */
  refused?: boolean;
}

/** A check over the messages exchanged so far. */
export type Assertion =
  | { type: 'none'; selector: AssertSelector; since?: string }
  | { type: 'some'; selector: AssertSelector; since?: string }
  /** `in`: the number must be one of these (e.g. [1, 4]: once, or once per attempt). */
  | { type: 'count'; selector: AssertSelector; since?: string; min?: number; max?: number; in?: number[] }
  | { type: 'increasing'; selector: AssertSelector; path: string; since?: string };

/** Assert over the history of the case. */
export interface AssertStep extends StepCommon {
  kind: 'assert';
  assertion: Assertion;
}

/**
 * Several acceptable continuations; each branch starts with an expect (or a use of a state that starts
 * with one), and the branch whose first expect the SUT's message matches is taken.
 */
export interface AnyOfStep extends StepCommon {
  kind: 'anyOf';
  branches: Step[][];
}

/** A reusable state included by name, with parameters. */
export interface UseStep extends StepCommon {
  kind: 'use';
  state: string;
  with: Record<string, unknown>;
}

/** One step of a test case. */
export type Step = ExpectStep | SendStep | ActionStep | WaitStep | ConnectionStep | AssertStep | AnyOfStep | UseStep;

/** A configuration variable the harness sets on the SUT before the steps (2.0.1 component/variable, 1.6 key). */
export interface ConfigurationSetting {
  component?: string;
  /** The component's instance, e.g. for a controller that exists more than once. */
  componentInstance?: string;
  /** The EVSE (and connector) the component belongs to. */
  evse?: { id: number; connectorId?: number };
  variable: string;
  /** The variable's instance, e.g. MessageAttempts of instance TransactionEvent. */
  instance?: string;
  value: unknown;
  /** Skip silently when the SUT rejects the setting (the case says "if implemented"). */
  optional?: boolean;
}

/** Certification profile membership of a case (OCPP 2.0.1 Part 5). */
export interface ProfileMembership {
  name: string;
  conformance: 'mandatory' | 'conditional';
  condition?: string;
}

/** A declarative test case, as loaded from its YAML file. */
export interface TestCase {
  id: string;
  title: string;
  ocpp: OcppVersion;
  sut: Sut;
  module: string;
  purpose: string;
  profiles: ProfileMembership[];
  useCases: string[];
  requirements: Record<string, string>;
  /** Features (PICS ids) the SUT must declare; otherwise the case is not applicable. */
  features: string[];
  /** How many EVSEs the station needs at least (default 1); a configuration with fewer makes the case not applicable. */
  minEvses: number;
  /** The security profile the station must be connected with at least (default 0); a configuration with a lower one makes the case not applicable. */
  minSecurityProfile: 0 | 1 | 2 | 3;
  prerequisites?: string;
  before: { configuration: ConfigurationSetting[]; states: UseStep[] };
  steps: Step[];
  post: AssertStep[];
  /** Named faults of the reference implementations that must make this case fail. */
  mustFailWith: string[];
  /** Where it was loaded from. */
  file: string;
}

/** A reusable state (OCA names: Booted, Authorized, EnergyTransferStarted, ...). */
export interface ReusableState {
  state: string;
  ocpp: OcppVersion;
  sut: Sut;
  description: string;
  /** Parameter name → default value (templates allowed); `{{params.x}}` in the steps. */
  params: Record<string, unknown>;
  steps: Step[];
  file: string;
}

/** Certification module folders per version (the issue and OCA Part 5). */
export const MODULES: Record<'1.6' | '2.x', readonly string[]> = {
  '1.6': ['core', 'firmware-management', 'local-auth-list', 'reservation', 'smart-charging', 'remote-trigger', 'security'],
  '2.x': ['core', 'advanced-security', 'local-auth-list', 'smart-charging', 'advanced-device-management', 'advanced-user-interface', 'reservation', 'iso15118'],
};

/** The module folders of a version. */
export function modulesOf(version: OcppVersion): readonly string[] {
  return version === '1.6' ? MODULES['1.6'] : MODULES['2.x'];
}

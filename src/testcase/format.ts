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
export type AssertSelector = MessageSelector | EventSelector | AlternativeMessagesSelector;

/**
 * The CALLs of any of several actions, each with its own pattern: one fact the SUT may report in
 * more than one way (a connector's status by StatusNotification or by NotifyEvent, Part 6's tool
 * validations), counted together.
 */
export interface AlternativeMessagesSelector {
  anyOf: Array<{ action: string; match?: Pattern }>;
  /** Whose messages: the SUT's (default) or the harness's. */
  from?: 'sut' | 'harness';
}

/** EVENT records of one kind in the case's trace (see docs/trace-format.md). */
export interface EventSelector {
  event: string;
  match?: Pattern;
  /** Which side the event concerns: the SUT (default) or the harness. */
  from?: 'sut' | 'harness';
}

/** Fields every step may carry (`timeoutMs` and `forEach` only where its kind takes them, see step-format.ts). */
export interface StepCommon {
  /** A name for the step, so assertions can say "since <id>". Defaults to its position. */
  id?: string;
  /** What the step does, for reports. */
  title?: string;
  /** Requirement ids this step proves; each must be listed in the case's `requirements`. */
  checks?: string[];
  /** Messages that fail the case if the SUT sends them while this step runs. */
  forbid?: MessageSelector[];
  /**
   * Run the step once per item: every connector or EVSE of the configuration (`item.evseId`,
   * `item.connectorId`), or each element of a list written in the case (`item`, `item.x`).
   */
  forEach?: ForEach;
  /** Overrides the kind's configured timeout for this step (a number, or a template such as '{{config.timeouts.longOperationMs}}'). */
  timeoutMs?: number | string;
  /**
   * A template: the step runs only when it renders `true` (Part 6 steps and memory states that
   * apply to one configuration only, e.g. '{{eq config.security.profile 1}}'); otherwise it is skipped.
   */
  when?: string;
}

/** What a step repeats over: the configuration's connectors or EVSEs, or a literal list. */
export type ForEach = 'connector' | 'evse' | readonly unknown[];

/**
 * One step of a test case. Its `kind` names the step kind (the YAML key) that gives the rest of
 * its fields; the kinds are the runner's registry (src/runner/steps/).
 */
export interface Step extends StepCommon {
  readonly kind: string;
}

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
  /** The security profile the station may be connected with at most (default 3): a Basic-auth case ends at 2 (A00.FR.401: profile 3 has none); a case that raises the profile needs a higher one to exist (A05). */
  maxSecurityProfile: 0 | 1 | 2 | 3;
  prerequisites?: string;
  /** The configuration to set, then the reusable states to reach (steps of the state-inclusion kind, `use`). */
  before: { configuration: ConfigurationSetting[]; states: Step[] };
  steps: Step[];
  /** Assertions after the scenario (steps of kinds that may stand in `post`). */
  post: Step[];
  /** Named faults of the reference implementations that must make this case fail. */
  mustFailWith: string[];
  /**
   * Finding codes the case provokes on purpose (issue 13): a violation of one of these codes on a
   * frame of the SUT does not fail the case. Every other violation does.
   */
  expectedFindings: string[];
  /**
   * Conforming variations of the reference implementation (written as faults, e.g. an optional field
   * left out, whose absence means its default) under which the case must still pass.
   */
  mustPassWith: string[];
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

import type { HarnessConfig } from '../config/index.js';
import type { Payload } from '../protocol/index.js';
import type { Session } from '../session/index.js';
import type { Catalog } from '../testcase/index.js';
import type { Adapter } from './adapters/index.js';
import type { SutLink } from './sut-link.js';

/** What a case runs with: configuration, the link to the SUT, the adapter for device actions. */
export interface CaseEnvironment {
  config: HarnessConfig;
  /** The configuration as templates see it (`{{config.idTokens.valid.idToken}}`), its timeouts unscaled. */
  templateConfig: Record<string, unknown>;
  /** `--timeout-scale`: multiplies every step timeout (see timeouts.ts); default 1. */
  timeoutScale?: number;
  /** The configured timeouts before the scale (default: config.timeouts), a step kind's default. */
  baseTimeouts?: HarnessConfig['timeouts'];
  /** Default answers to background traffic, per action (templates allowed). */
  backgroundReplies: Record<string, unknown>;
  catalog: Catalog;
  link: SutLink;
  adapter: Adapter;
  clock: () => Date;
  /** The run's file server, as templates see it (`{{files.firmwareUrl}}`). */
  files?: Record<string, unknown>;
  /** The run's test PKI, as templates see it (`{{pki.csmsRoot.pem}}`). */
  pki?: Record<string, unknown>;
  /** Harness as CSMS over TLS: the port of the endpoint whose certificate csmsRoot2 issued (`{{csms.newRootUrl}}`). */
  newRootPort?: number;
  /** Harness as CSMS at security profile 1 or 2: the port of the endpoint served at the next profile (`{{csms.upgradeUrl}}`, A05). */
  upgradePort?: number;
  /**
   * How many records the case's trace file holds before the case's own (the work before it):
   * step results count records in the file.
   */
  traceOffset?: number;
  /** Aborted when the run is interrupted. */
  signal: AbortSignal;
  /**
   * Called before a send step's CALL goes out, on the session it will use: the runner reads the
   * settings a write is about to change, to set them back after the case.
   */
  beforeSend?(session: Session, action: string, payload: Payload): Promise<void>;
  /** Told as each step begins, for live progress: its index, what it does or waits for, and its timeout. */
  onStep?(step: StepBegin): void;
}

/** A step as it begins. */
export interface StepBegin {
  /** `3`, `before.1`, `post.2`, `3.1` inside a state. */
  index: string;
  /** What it does or waits for, e.g. `expect StatusNotification`. */
  title: string;
  /** How long it may take (scaled), from its begin. */
  timeoutMs: number;
}

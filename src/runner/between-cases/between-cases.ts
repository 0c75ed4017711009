import type { BetweenCasesMode, DeviceActionConfig } from '../../config/index.js';
import type { Payload } from '../../protocol/index.js';
import type { Session } from '../../session/index.js';
import type { Catalog, TestCase } from '../../testcase/index.js';
import type { Adapter } from '../adapters/index.js';
import { actionsSentBy } from './case-footprint.js';
import { restoreHarnessStation, unreachable } from './csms-upkeep.js';
import { DeviceActionLog } from './device-undo.js';
import { SettingSnapshot, configuredSettings } from './setting-snapshot.js';
import { awaitConnection, installedCertificates, restoreStation, stationIdleProblems } from './station-upkeep.js';
import { absorb, emptyReport, perform, until, type UpkeepContext, type UpkeepReport } from './upkeep-context.js';

/** How long a CSMS endpoint may take to accept a TCP connection before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 3_000;

/** What the runner needs to keep one SUT idle from case to case. */
export interface BetweenCasesOptions extends UpkeepContext {
  mode: BetweenCasesMode;
  sut: 'cs' | 'csms';
  catalog: Catalog;
  beforeEach: DeviceActionConfig[];
  afterEach: DeviceActionConfig[];
  /** sut csms: the CSMS endpoint the harness-station connects to. */
  endpoint?: string;
}

/** The outcome of the work before a case: a problem makes the case `error` without running it. */
export interface Prepared {
  problem?: string;
  report: UpkeepReport;
}

/**
 * One SUT, many cases: before each case the idle state is verified (and restored when a case
 * before left it otherwise); after each case, whatever its verdict, what it did is undone. A SUT
 * that is gone turns the cases still to run into `error` at once, naming the cause.
 */
export class BetweenCases {
  private readonly actionLog = new DeviceActionLog();
  private readonly settings: SettingSnapshot;
  private installedBefore: unknown[] | undefined;
  /** Why the SUT is gone, and since which case; cleared once it is back. */
  private gone: string | undefined;
  /** The case that ran last, to say since when the SUT is gone. */
  private lastCase: string | undefined;

  constructor(private readonly options: BetweenCasesOptions) {
    this.settings = new SettingSnapshot(options.version, options.config.timeouts.messageMs, configuredSettings(options.config));
  }

  /** The adapter a case performs its device actions with: they are logged, so that their effects can be undone. */
  caseAdapter(adapter: Adapter): Adapter {
    return this.options.mode === 'none' ? adapter : this.actionLog.recording(adapter);
  }

  /** Before the harness writes a setting of the station, its value is read, to be set back after the case. */
  async beforeSend(session: Session, action: string, payload: Payload): Promise<void> {
    if (this.options.mode === 'none' || this.options.sut !== 'cs' || !SettingSnapshot.writes(action)) return;
    await this.settings.readBefore(session, action, payload);
  }

  async before(testCase: TestCase): Promise<Prepared> {
    const report = emptyReport();
    const absent = await this.absence();
    if (absent) return { problem: absent, report };
    if (this.options.mode === 'none') return { report };
    await this.runHooks(this.options.beforeEach, report);
    if (this.options.sut === 'csms') return { report };
    let problems = await this.idleProblemsAfterGrace();
    if (problems.length > 0) {
      // A case before this one (or the time before the run) left the station busy: one more try.
      absorb(report, await restoreStation(this.options, { undos: [], settings: this.settings, reset: false }));
      problems = await this.idleProblemsAfterGrace();
    }
    if (problems.length > 0) return { problem: `SUT not idle: ${problems.join('; ')}`, report };
    this.installedBefore = actionsSentBy(testCase, this.options.catalog).has('InstallCertificate') ? await installedCertificates(this.options) : undefined;
    return { report };
  }

  /** After a case, whatever its verdict: undoes what it did, then runs the lab's afterEach actions. */
  async after(testCase: TestCase): Promise<UpkeepReport> {
    const report = emptyReport();
    if (this.options.mode === 'none') return report;
    const undos = this.actionLog.takeUndos();
    const restored = this.options.sut === 'csms'
      ? await restoreHarnessStation(this.options, undos)
      : await restoreStation(this.options, { undos, settings: this.settings, reset: this.options.mode === 'reset', ...(this.installedBefore ? { installedBefore: this.installedBefore } : {}) });
    this.installedBefore = undefined;
    absorb(report, restored);
    await this.runHooks(this.options.afterEach, report);
    this.lastCase = testCase.id;
    // The clean-up waited for the station to come back: it is gone, and the next case need not wait again.
    if (this.options.sut === 'cs' && !this.options.link.session) this.gone = this.goneReason();
    return report;
  }

  /** What keeps the station from idle, after giving its last reports (a status after a change) the message timeout to come. */
  private async idleProblemsAfterGrace(): Promise<string[]> {
    const idle = () => stationIdleProblems(this.options).length === 0;
    await until(this.options.ledger, idle, this.options.config.timeouts.messageMs, this.options.signal);
    return stationIdleProblems(this.options);
  }

  /**
   * After a case that failed: why the SUT is gone by now (the CSMS unreachable, the station not back
   * within connectMs), or undefined when it is there. A SUT that went away during a case was not
   * judged by it: the case is error, not fail, like the cases after it.
   */
  async goneDuring(testCase: TestCase): Promise<string | undefined> {
    this.lastCase = testCase.id;
    return this.absence();
  }

  /** Why the SUT cannot be used now; a SUT already found gone is not waited for again. */
  private async absence(): Promise<string | undefined> {
    if (this.options.sut === 'csms') {
      // Named as the station's URL, the way a connection attempt names it.
      const problem = this.options.endpoint ? await unreachable(`${this.options.endpoint.replace(/\/+$/, '')}/${this.options.link.options.stationId}`, PROBE_TIMEOUT_MS) : undefined;
      return problem && `${problem}${this.sinceLast()}`;
    }
    if (this.options.link.session) {
      this.gone = undefined;
      return undefined;
    }
    if (this.gone) return this.gone;
    if (await awaitConnection(this.options)) return undefined;
    this.gone = this.goneReason();
    return this.gone;
  }

  private goneReason(): string {
    return `SUT gone: no connection from ${this.options.link.options.stationId} within ${this.options.config.timeouts.connectMs} ms${this.sinceLast()}`;
  }

  private sinceLast(): string {
    return this.lastCase ? ` (since ${this.lastCase})` : '';
  }

  private async runHooks(hooks: DeviceActionConfig[], report: UpkeepReport): Promise<void> {
    for (const hook of hooks) {
      const problem = await perform(this.options, { name: hook.action, params: hook.params ?? {} });
      if (problem) report.problems.push(problem);
      else report.done.push(`device action ${hook.action}`);
    }
  }
}

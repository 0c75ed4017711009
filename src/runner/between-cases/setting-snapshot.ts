import type { HarnessConfig } from '../../config/index.js';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import type { Session } from '../../session/index.js';
import { variableKey, type WrittenVariable } from './sut-ledger.js';

/** What a setting held before a case first wrote it: its value, or why it cannot be known. */
type Original = { value: string } | { unknown: string };

/**
 * The values of the station's settings (2.x variables, 1.6 configuration keys) as they were before
 * the running case first wrote them: read over OCPP just before the write goes out, so that the
 * clean-up can set each one back.
 */
export class SettingSnapshot {
  private readonly originals = new Map<string, Original>();

  /**
   * `knownValues`: settings whose value before any case the configuration knows, by variableKey.
   * The Basic-auth password is write-only (SecurityCtrlr.BasicAuthPassword, 1.6 AuthorizationKey:
   * cannot be read back, A01), so a case that changes it (TC_A_09_CS, TC_073_CS) is undone with the
   * configured password.
   */
  constructor(private readonly version: OcppVersion, private readonly timeoutMs: number, private readonly knownValues: ReadonlyMap<string, string> = new Map()) {}

  /** The CALLs that write settings; reading comes first for these. */
  static writes(action: string): boolean {
    return action === 'SetVariables' || action === 'ChangeConfiguration';
  }

  /** Reads the settings a write is about to change, unless already read during this case. */
  async readBefore(session: Session, action: string, payload: Payload): Promise<void> {
    if (action === 'ChangeConfiguration') return this.readKeys(session, [String(payload['key'])]);
    if (action !== 'SetVariables') return;
    let wanted = (payload['setVariableData'] as Array<Record<string, unknown>> | undefined ?? [])
      .map(({ attributeValue: _value, ...target }) => target)
      .filter((target) => !this.originals.has(variableKey(target)));
    for (const target of wanted) {
      const known = this.knownValues.get(variableKey(target));
      if (known !== undefined) this.originals.set(variableKey(target), { value: known });
    }
    wanted = wanted.filter((target) => !this.originals.has(variableKey(target)));
    if (wanted.length === 0) return;
    const outcome = await session.call('GetVariables', { getVariableData: wanted }, { timeoutMs: this.timeoutMs });
    const results = outcome.kind === 'result' ? ((outcome.payload['getVariableResult'] as Array<Record<string, unknown>> | undefined) ?? []) : [];
    for (const target of wanted) {
      const key = variableKey(target);
      const result = results.find((candidate) => variableKey(candidate) === key);
      if (result?.attributeStatus === 'Accepted' && typeof result.attributeValue === 'string') this.originals.set(key, { value: result.attributeValue });
      else this.originals.set(key, { unknown: result ? `GetVariables answered ${String(result.attributeStatus)}` : `GetVariables ${outcome.kind === 'result' ? 'did not list it' : `ended with ${outcome.kind}`}` });
    }
  }

  private async readKeys(session: Session, keys: string[]): Promise<void> {
    for (const key of keys) {
      const known = this.knownValues.get(key);
      if (known !== undefined && !this.originals.has(key)) this.originals.set(key, { value: known });
    }
    const wanted = keys.filter((key) => !this.originals.has(key));
    if (wanted.length === 0) return;
    const outcome = await session.call('GetConfiguration', { key: wanted }, { timeoutMs: this.timeoutMs });
    const entries = outcome.kind === 'result' ? ((outcome.payload['configurationKey'] as Array<Record<string, unknown>> | undefined) ?? []) : [];
    for (const key of wanted) {
      const entry = entries.find((candidate) => candidate['key'] === key);
      this.originals.set(key, typeof entry?.['value'] === 'string' ? { value: entry['value'] } : { unknown: entry ? 'GetConfiguration gave no value' : `GetConfiguration ${outcome.kind === 'result' ? 'did not list it' : `ended with ${outcome.kind}`}` });
    }
  }

  /**
   * Sets every written setting back to its value before the case. Returns a line per setting
   * restored and a problem per setting that could not be.
   */
  async restore(session: Session, written: readonly WrittenVariable[]): Promise<{ done: string[]; problems: string[]; rebootRequired: boolean; reconnects: boolean }> {
    let rebootRequired = false;
    let reconnects = false;
    const done: string[] = [];
    const problems: string[] = [];
    // A password set back makes the station connect again with it (A01.FR.01): it goes last.
    const ordered = [...written].sort((a, b) => Number(this.knownValues.has(a.key)) - Number(this.knownValues.has(b.key)));
    for (const variable of ordered) {
      const original = this.originals.get(variable.key);
      const name = describe(variable);
      // 1.6 SecurityProfile never goes down over OCPP (A05.FR.01): the device action
      // restoreSecurityProfile sets it back when the station is found upgraded (TC_083_CS).
      if (this.version === '1.6' && variable.key === 'SecurityProfile') {
        done.push(`${name} left to the device action restoreSecurityProfile (it cannot be lowered over OCPP)`);
        continue;
      }
      if (!original || 'unknown' in original) {
        problems.push(`${name} changed${variable.since ? ` by ${variable.since}` : ''}: its earlier value is unknown (${original && 'unknown' in original ? original.unknown : 'not read before the write'})`);
        continue;
      }
      const status = await this.write(session, variable, original.value);
      rebootRequired ||= status === 'RebootRequired';
      const secret = this.knownValues.has(variable.key);
      reconnects ||= secret && status === 'Accepted';
      // The configured password is never written into a report.
      const value = secret ? 'the configured value' : `"${original.value}"`;
      if (status) done.push(`${name} set back to ${value}${status === 'RebootRequired' ? ' (takes effect after a reboot)' : ''}`);
      else problems.push(`${name} could not be set back to ${value}`);
    }
    this.originals.clear();
    return { done, problems, rebootRequired, reconnects };
  }

  /** Writes a setting back; the station's status when it took the value (Accepted, RebootRequired), else undefined. */
  private async write(session: Session, variable: WrittenVariable, value: string): Promise<'Accepted' | 'RebootRequired' | undefined> {
    if (this.version === '1.6') {
      const outcome = await session.call('ChangeConfiguration', { key: variable.target['key'] as string, value }, { timeoutMs: this.timeoutMs });
      return outcome.kind === 'result' ? taken(outcome.payload['status']) : undefined;
    }
    const outcome = await session.call('SetVariables', { setVariableData: [{ ...variable.target, attributeValue: value }] }, { timeoutMs: this.timeoutMs });
    const result = outcome.kind === 'result' ? (outcome.payload['setVariableResult'] as Array<Record<string, unknown>> | undefined)?.[0] : undefined;
    return taken(result?.['attributeStatus']);
  }
}

function taken(status: unknown): 'Accepted' | 'RebootRequired' | undefined {
  return status === 'Accepted' || status === 'RebootRequired' ? status : undefined;
}

function describe(variable: WrittenVariable): string {
  const { target } = variable;
  if (target['key'] !== undefined) return `configuration key ${String(target['key'])}`;
  const component = target['component'] as Record<string, unknown> | undefined;
  const name = target['variable'] as Record<string, unknown> | undefined;
  const instance = name?.['instance'] ? `[${String(name['instance'])}]` : '';
  return `${String(component?.['name'])}.${String(name?.['name'])}${instance}`;
}

/**
 * The settings whose value before any case the configuration gives: the Basic-auth password, as
 * 2.x's SecurityCtrlr.BasicAuthPassword and as 1.6's AuthorizationKey (1.6 security whitepaper
 * §7.2: write-only too), whichever version the run speaks.
 */
export function configuredSettings(config: HarnessConfig): Map<string, string> {
  const password = config.security.basicAuthPassword;
  if (!password) return new Map();
  return new Map([[variableKey({ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }), password], ['AuthorizationKey', password]]);
}

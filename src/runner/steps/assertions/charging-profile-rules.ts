import { compositeSchedule, profileFromWire, profileRuleProblems, wirePurposeName, type ProfileCarryingAction } from '../../../domain/index.js';
import { isOcppVersion, type OcppVersion } from '../../../protocol/index.js';
import type { TraceRecord } from '../../../session/index.js';
import { errorStep, failStep } from '../../step-stop.js';
import { assertSelectorSchema, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';
import { ledgerBefore } from './charging-ledger.js';

/**
 * `chargingProfileRules`: each selected request of a CSMS (SetChargingProfile, or a start request
 * carrying a TxProfile) sends a charging profile that keeps Part 2's rules (profile-rules.ts), given
 * the profiles the station held before it; with `inForce`, the oracle also finds that, once the
 * station accepted it, the profile sets the EVSE's composite limit for that many seconds.
 */
export interface ChargingProfileRulesAssertion extends Assertion {
  inForce?: number;
  /** Seconds after the request at which the inForce window starts (the CSMS's clock and the harness's differ a little). */
  graceSeconds: number;
}

const OWN = ['inForce', 'graceSeconds'];
const CARRYING: readonly string[] = ['SetChargingProfile', 'RequestStartTransaction', 'RemoteStartTransaction'] satisfies ProfileCarryingAction[];
const DEFAULT_GRACE_SECONDS = 2;

export const chargingProfileRulesAssertion: AssertionKind<ChargingProfileRulesAssertion> = {
  name: 'chargingProfileRules',
  schema: {
    ...assertSelectorSchema,
    description: 'The charging profiles these CALLs carry (SetChargingProfile, RequestStartTransaction, RemoteStartTransaction, from: csms) keep the rules of the specification (K01, K05, F01), given the profiles the station held before each.',
    properties: {
      ...assertSelectorSchema.properties,
      inForce: { type: 'integer', minimum: 1, description: 'Also: once accepted, the profile sets the composite limit of its EVSE (EVSE 1 for one on EVSE 0) for this many seconds, as the oracle computes it.' },
      graceSeconds: { type: 'number', minimum: 0, description: `Where the inForce window starts, in seconds after the request (default ${DEFAULT_GRACE_SECONDS}).` },
    },
  },
  normalise: (raw, since) => {
    const assertion: ChargingProfileRulesAssertion = { type: 'chargingProfileRules', selector: selectorOf(raw, OWN), graceSeconds: DEFAULT_GRACE_SECONDS, ...since };
    if (typeof raw['inForce'] === 'number') assertion.inForce = raw['inForce'];
    if (typeof raw['graceSeconds'] === 'number') assertion.graceSeconds = raw['graceSeconds'];
    return assertion;
  },
  enough: (_assertion, count) => count >= 1,
  judge: (assertion, messages, what, since, records) => {
    if (messages.length === 0) throw failStep(`a ${what}${since}`, 'none');
    const judged = messages.map((call) => judgeOne(assertion, call, records));
    return `${messages.length} × ${what} with a charging profile that keeps the rules${judged.join('')}`;
  },
};

function judgeOne(assertion: ChargingProfileRulesAssertion, call: TraceRecord, records: readonly TraceRecord[]): string {
  const version = call.ocppVersion;
  if (call.messageType !== 'CALL' || !CARRYING.includes(call.action ?? '') || !isOcppVersion(version)) {
    throw errorStep(`CALLs of ${CARRYING.join(', ')} of a known OCPP version to judge`, `${String(call.action)} (${String(version)})`);
  }
  const index = records.indexOf(call);
  const station = { held: ledgerBefore(records, index, version).profiles, at: Date.parse(call.timestamp) };
  const problems = profileRuleProblems(version, call.action as ProfileCarryingAction, call.payload, station);
  if (problems.length > 0) throw failStep(`a charging profile in ${call.action} ${call.messageId} that keeps the rules of the specification`, problems.join('; '));
  return assertion.inForce === undefined ? '' : `; ${inForceDetail(assertion, assertion.inForce, call, records, version)}`;
}

/** Judges `inForce`: the profile sets every period of its EVSE's composite over the window. */
function inForceDetail(assertion: ChargingProfileRulesAssertion, seconds: number, call: TraceRecord, records: readonly TraceRecord[], version: OcppVersion): string {
  const payload = (call.payload ?? {}) as Record<string, unknown>;
  const profile = profileFromWire(version, version === '1.6' && call.action === 'SetChargingProfile' ? payload['csChargingProfiles'] : payload['chargingProfile']);
  const answerAt = records.findIndex((record) => record.messageType !== 'CALL' && record.messageId === call.messageId && record.direction !== call.direction);
  if (answerAt < 0) throw failStep(`an answer to ${call.action} ${call.messageId}`, 'none');
  const { profiles, transactions } = ledgerBefore(records, answerAt + 1, version);
  const evseId = Number(payload[version === '1.6' ? 'connectorId' : 'evseId'] ?? 1) || 1;
  const composite = compositeSchedule({ version, profiles, transactions, evseId, start: Date.parse(call.timestamp) + assertion.graceSeconds * 1000, duration: seconds });
  const label = `${wirePurposeName(version, profile.purpose) ?? profile.purpose} ${profile.id} (`;
  const elsewhere = composite.periods.filter((period) => !period.limitedBy.startsWith(label));
  if (elsewhere.length > 0 || !profiles.some((held) => held.profile.id === profile.id)) {
    const periods = composite.periods.map((period) => `+${period.startPeriod} s: ${period.limit ?? 'no limit'} ${composite.chargingRateUnit} by ${period.limitedBy}`);
    const notes = composite.notes.length > 0 ? ` (left out: ${composite.notes.join('; ')})` : '';
    throw failStep(`profile ${profile.id} setting the composite limit of EVSE ${evseId} for ${seconds} s from ${assertion.graceSeconds} s after ${call.action}`, `${periods.join(', ')}${notes}`);
  }
  return `profile ${profile.id} sets the composite limit of EVSE ${evseId} for ${seconds} s`;
}

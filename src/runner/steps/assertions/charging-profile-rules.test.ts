import { describe, expect, it } from 'vitest';
import { csmsCaseFile, harnessFindings, runAgainstCsms, writeTree } from '../../engine-harness.test-support.js';
import { failureOf } from '../../results.test-support.js';

// A case with the harness as station: the scripted CSMS sends the charging profiles the test gives
// when the case asks for them, the harness-station accepts each, and the assertion judges them.
const CASE = csmsCaseFile('OH_SC_RULES_01_CSMS', `  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
  - action: csmsSend
    params: { action: SetChargingProfile }
  - expect: SetChargingProfile
    reply: { status: Accepted }
  - action: csmsSend
    params: { action: SetChargingProfile }
  - expect: SetChargingProfile
    reply: { status: Accepted }
  - assert:
      chargingProfileRules: { action: SetChargingProfile, from: sut, inForce: 60 }
    checks: [R.1]
`);

const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const profile = (id: number, stackLevel: number, limit: number, startSchedule = new Date().toISOString()) => ({
  evseId: 1,
  chargingProfile: { id, stackLevel, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Absolute', chargingSchedule: [{ id: 1, startSchedule, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] }] },
});

/** Runs the case against a CSMS that sends these SetChargingProfile requests, one per csmsSend. */
async function run(...requests: Record<string, unknown>[]) {
  const root = writeTree({ 'ocpp2.0.1/smart-charging/OH_SC_RULES_01_CSMS.yaml': CASE });
  const queue = [...requests];
  return runAgainstCsms(root, {
    onCall: () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } }),
    onAction: (_name, _params, csms) => {
      void csms?.call('SetChargingProfile', queue.shift() ?? {});
      return { status: 'done' };
    },
  });
}

describe('assert chargingProfileRules', () => {
  it('passes two profiles that keep the rules, the second stacked above the first and in force (the oracle)', async () => {
    const result = await run(profile(1, 0, 16), profile(2, 1, 6));
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps.at(-1)?.detail).toBe('2 × SetChargingProfileRequest with a charging profile that keeps the rules; profile 1 sets the composite limit of EVSE 1 for 60 s; profile 2 sets the composite limit of EVSE 1 for 60 s');
    expect(harnessFindings(result)).toEqual([]);
  });

  it('fails a second profile with another id at the same stack level (K01.FR.06)', async () => {
    const failure = failureOf((await run(profile(1, 0, 16), profile(2, 0, 6))).cases[0]);
    expect(failure?.expected).toEqual([expect.stringMatching(/^a charging profile in SetChargingProfile \S+ that keeps the rules of the specification$/)]);
    expect(failure?.actual).toBe('K01.FR.06: profile 1 on EVSE 1 already has stackLevel 0 and purpose TxDefaultProfile in an overlapping validity period');
  });

  it('fails a profile that keeps the rules but is not in force yet, naming who sets each period', async () => {
    const failure = failureOf((await run(profile(1, 0, 16), profile(2, 1, 6, inAMinute()))).cases[0]);
    expect(failure?.expected).toEqual(['profile 2 setting the composite limit of EVSE 1 for 60 s from 2 s after SetChargingProfile']);
    expect(failure?.actual).toMatch(/^\+0 s: 16 A by TxDefaultProfile 1 \(stack 0, EVSE 1\), \+5\d(\.\d+)? s: 6 A by TxDefaultProfile 2 \(stack 1, EVSE 1\)$/);
  });
});

import { describe, expect, it } from 'vitest';
import type { CallReply, IncomingCall } from '../../../session/index.js';
import { caseFile, harnessFindings, runAgainstScript, writeTree } from '../../engine-harness.test-support.js';
import { failureOf } from '../../results.test-support.js';

const SCHEDULE_2020 = `startSchedule: '2020-01-01T00:00:00Z', chargingRateUnit: A`;
const profile201 = (evseId: number, id: number, stackLevel: number, purpose: string, limit: number) =>
  `  - send: SetChargingProfile
    payload: { evseId: ${evseId}, chargingProfile: { id: ${id}, stackLevel: ${stackLevel}, chargingProfilePurpose: ${purpose}, chargingProfileKind: Absolute, chargingSchedule: [{ id: 1, ${SCHEDULE_2020}, chargingSchedulePeriod: [{ startPeriod: 0, limit: ${limit} }] }] } }
    match: { status: Accepted }
`;

// The station max (10 A), a TxDefaultProfile of 6 A, and one of 4 A at stack 1 that is cleared again:
// the composite of EVSE 1 is 6 A throughout.
const CASE_201 = caseFile('OH_SC_ORACLE_01_CS', `${profile201(0, 1, 0, 'ChargingStationMaxProfile', 10)}${profile201(1, 2, 0, 'TxDefaultProfile', 6)}${profile201(1, 3, 1, 'TxDefaultProfile', 4)}  - send: ClearChargingProfile
    payload: { chargingProfileId: 3 }
    match: { status: Accepted }
  - send: GetCompositeSchedule
    payload: { evseId: 1, duration: 300, chargingRateUnit: A }
    match: { status: Accepted }
  - assert:
      compositeSchedule: { action: GetCompositeSchedule, from: harness }
    checks: [R.1]
`);

/** A scripted station that accepts every profile and answers GetCompositeSchedule with one period of `limit` A. */
function station(limit: number) {
  return {
    onCall: (call: IncomingCall): CallReply => {
      if (call.action !== 'GetCompositeSchedule') return { payload: { status: 'Accepted' } };
      const schedule = { evseId: call.payload['evseId'], duration: call.payload['duration'], scheduleStart: new Date().toISOString(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases: 3 }] };
      return { payload: { status: 'Accepted', schedule } };
    },
  };
}

describe('assert compositeSchedule', () => {
  it('passes a GetCompositeSchedule answer that matches the oracle over the profiles the station accepted (a cleared one left out)', async () => {
    const root = writeTree({ 'ocpp2.0.1/smart-charging/OH_SC_ORACLE_01_CS.yaml': CASE_201 });
    const result = await runAgainstScript(root, station(6));
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(result.cases[0]?.steps.at(-1)?.detail).toMatch(/^1 × GetCompositeScheduleRequest from the harness answered with the expected composite schedule \(1 period\(s\) from /);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('fails an answer that still applies the cleared profile, and shows expected and actual side by side', async () => {
    const root = writeTree({ 'ocpp2.0.1/smart-charging/OH_SC_ORACLE_01_CS.yaml': CASE_201 });
    const result = await runAgainstScript(root, station(4));
    const failure = failureOf(result.cases[0]);
    expect(failure?.expected).toEqual(['the composite schedule of the profiles the station accepted, within 0.1 A and 2 s']);
    expect(failure!.actual).toBe('from +0 s to +300 s: expected 6 A, 3 ph [TxDefaultProfile 2 (stack 0, EVSE 1)], actual 4 A, 3 ph: 2 A below the expected limit (tolerance 0.1 A)');
    // The table travels apart from the sentence, a row per line, so that reports can keep its columns.
    expect(failure!.table?.split('\n')).toEqual([
      expect.stringMatching(/^from +\| to +\| expected +\| actual +\|$/),
      expect.stringMatching(/^\+0 s +\| \+300 s \| 6 A, 3 ph \[TxDefaultProfile 2 \(stack 0, EVSE 1\)\] \| 4 A, 3 ph \| ✗ 2 A below the expected limit \(tolerance 0.1 A\)$/),
    ]);
  });

  it('reads 1.6 messages: ChargePointMaxProfile caps the TxDefaultProfile on connector 0 (§3.13.3)', async () => {
    const profile16 = (connectorId: number, id: number, purpose: string, limit: number) => `  - send: SetChargingProfile
    payload: { connectorId: ${connectorId}, csChargingProfiles: { chargingProfileId: ${id}, stackLevel: 0, chargingProfilePurpose: ${purpose}, chargingProfileKind: Absolute, chargingSchedule: { ${SCHEDULE_2020}, chargingSchedulePeriod: [{ startPeriod: 0, limit: ${limit} }] } } }
    match: { status: Accepted }
`;
    const root = writeTree({
      'ocpp1.6/smart-charging/OH_SC_ORACLE_02_CS.yaml': caseFile('OH_SC_ORACLE_02_CS', `${profile16(0, 1, 'ChargePointMaxProfile', 8)}${profile16(0, 2, 'TxDefaultProfile', 16)}  - send: GetCompositeSchedule
    payload: { connectorId: 1, duration: 60 }
    match: { status: Accepted }
  - assert:
      compositeSchedule: { action: GetCompositeSchedule, from: harness, tolerance: { limit: 0.5 } }
    checks: [R.1]
`).replace('ocpp: 2.0.1', 'ocpp: 1.6'),
    });
    const answer = (limit: number) => ({
      onCall: (call: IncomingCall): CallReply => call.action !== 'GetCompositeSchedule'
        ? { payload: { status: 'Accepted' } }
        : { payload: { status: 'Accepted', connectorId: 1, scheduleStart: new Date().toISOString(), chargingSchedule: { duration: 60, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] } } },
    });
    expect((await runAgainstScript(root, answer(8.4), { ocpp: '1.6' })).cases[0]?.verdict).toBe('pass');
    const wrong = await runAgainstScript(root, answer(16), { ocpp: '1.6' });
    expect(failureOf(wrong.cases[0])?.actual.split('\n')[0]).toBe('from +0 s to +60 s: expected 8 A, 3 ph [ChargePointMaxProfile 1 (stack 0, station)], actual 16 A: 8 A above the expected limit (tolerance 0.5 A)');
  });
});

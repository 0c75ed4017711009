import { describe, expect, it } from 'vitest';
import { runShippedCases, verdicts } from './lab-run.test-support.js';

// A lab runs a whole suite against one device. A case that fails half-way must not decide the
// verdicts of the cases after it: each later case gets the verdict it has alone (a fresh
// reference per case), because the harness restores the idle state between cases.

describe('one SUT for many cases (between-cases restore)', () => {
  it('a station left Pending with a changed variable: the later cases keep the verdicts they have alone', async () => {
    // TC_B_02_CS sets OfflineThreshold, gets the station Pending, then fails on GetBaseReport.
    const ids = ['TC_B_02_CS', 'TC_F_08_CS', 'TC_B_09_CS'];
    const faults = ['set:GetBaseReport.status=NotSupported'];
    const alone = verdicts(await runShippedCases(ids, { betweenCases: 'fresh', faults }));
    expect(alone['TC_B_02_CS']).toBe('fail');
    const restored = await runShippedCases(ids, { betweenCases: 'restore', faults });
    expect(verdicts(restored)).toEqual(alone);
    const after = restored.cases.find((c) => c.id === 'TC_B_02_CS')!.betweenCases!.after.join('\n');
    expect(after).toMatch(/boot accepted after the trigger/);
    expect(after).toMatch(/OCPPCommCtrlr\.OfflineThreshold set back to/);
    // Left as the failing case left it, the station is still Pending for the next case.
    const untouched = verdicts(await runShippedCases(ids, { betweenCases: 'none', faults }));
    expect(untouched).not.toEqual(alone);
  }, 60_000);

  it('a transaction left running: the later cases keep the verdicts they have alone', async () => {
    // Remote stops are refused, so TC_F_08_CS fails with its transaction still running.
    const ids = ['TC_F_08_CS', 'TC_G_11_CS', 'TC_E_28_CS'];
    const faults = ['set:RequestStopTransaction.status=Rejected'];
    const alone = verdicts(await runShippedCases(ids, { betweenCases: 'fresh', faults }));
    expect(alone['TC_F_08_CS']).toBe('fail');
    const restored = await runShippedCases(ids, { betweenCases: 'restore', faults });
    expect(verdicts(restored)).toEqual(alone);
    expect(restored.cases.find((c) => c.id === 'TC_F_08_CS')!.betweenCases!.after.join('\n')).toMatch(/unplug/);
    const untouched = verdicts(await runShippedCases(ids, { betweenCases: 'none', faults }));
    expect(untouched).not.toEqual(alone);
  }, 60_000);

  it('a Local Authorization List a case installed is emptied before the next case (OCPP 1.6 §5.15)', async () => {
    const ids = ['TC_043_2_CS', 'TC_008_CS', 'TC_042_2_CS', 'TC_042_1_CS'];
    const alone = verdicts(await runShippedCases(ids, { ocpp: '1.6', betweenCases: 'fresh' }));
    expect(Object.values(alone)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const restored = await runShippedCases(ids, { ocpp: '1.6', betweenCases: 'restore' });
    expect(verdicts(restored)).toEqual(alone);
    const after = (id: string) => restored.cases.find((c) => c.id === id)!.betweenCases!.after.join('\n');
    expect(after('TC_043_2_CS')).toMatch(/local authorization list set by TC_043_2_CS emptied/);
    // TC_042_1_CS sent no list: nothing to empty after it, only its setting to set back.
    expect(after('TC_042_1_CS')).not.toMatch(/local authorization list/);
    expect(after('TC_042_1_CS')).toMatch(/LocalAuthListEnabled set back to "true"/);
  }, 60_000);

  it('a reservation left held (OCPP 1.6): it is cancelled, the connector is Available again, and the later cases keep the verdicts they have alone', async () => {
    // TC_052_CS ends with its reservation held and the connector Reserved; the next cases (in plan order) reserve the same connector.
    const ids = ['TC_052_CS', 'TC_053_1_CS', 'TC_053_2_CS'];
    const options = { ocpp: '1.6' as const, features: ['Reservation'] };
    const alone = verdicts(await runShippedCases(ids, { ...options, betweenCases: 'fresh' }));
    expect(alone).toEqual({ TC_052_CS: 'pass', TC_053_1_CS: 'pass', TC_053_2_CS: 'pass' });
    const restored = await runShippedCases(ids, { ...options, betweenCases: 'restore' });
    expect(verdicts(restored)).toEqual(alone);
    expect(restored.cases.find((c) => c.id === 'TC_052_CS')!.betweenCases!.after.join('\n')).toMatch(/reservation \d+ cancelled: CancelReservation answered "Accepted"/);
    // Left Reserved, the connector takes no new reservation: TC_053_1_CS gets Occupied.
    const untouched = verdicts(await runShippedCases(ids, { ...options, betweenCases: 'none' }));
    expect(untouched['TC_053_1_CS']).toBe('fail');
  }, 90_000);

  it('charging profiles a case set are cleared before the next case; a TxProfile its transaction took along counts as gone (K10, K02.FR.05)', async () => {
    // In plan order TC_K_01_CS leaves a TxDefaultProfile of 6 A on EVSE 1, whose composite TC_K_40_CS then judges; TC_K_08_CS needs no profile at all.
    const ids = ['TC_K_01_CS', 'TC_K_08_CS', 'TC_K_40_CS', 'TC_K_60_CS'];
    const options = { features: ['SC-2.1'] };
    const restored = await runShippedCases(ids, { ...options, betweenCases: 'restore' });
    const after = (id: string) => restored.cases.find((c) => c.id === id)!.betweenCases!.after.join('\n');
    expect(verdicts(restored)).toEqual({ TC_K_01_CS: 'pass', TC_K_08_CS: 'pass', TC_K_40_CS: 'pass', TC_K_60_CS: 'pass' });
    expect(after('TC_K_01_CS')).toMatch(/charging profile 101 cleared/);
    expect(after('TC_K_40_CS')).toMatch(/charging profile 140 cleared[\s\S]*charging profile 141 cleared/);
    expect(after('TC_K_60_CS')).toMatch(/charging profile 160 already gone/);
    // Left in place, TC_K_01_CS's 6 A caps the 8 A and 10 A that TC_K_40_CS's stack level 0 profile gives after 150 s.
    const untouched = verdicts(await runShippedCases(ids, { ...options, betweenCases: 'none' }));
    expect(untouched['TC_K_40_CS']).toBe('fail');
  }, 60_000);

  it('a Basic-auth password a case changed is set back to the configured one, so the station can connect after its next reboot (A01)', async () => {
    // TC_A_09_CS gives the station a fresh password; TC_B_20_CS then resets it, and the station
    // connects again with whatever password it holds.
    const ids = ['TC_A_09_CS', 'TC_B_20_CS'];
    const security = { profile: 1 as const, basicAuthPassword: 'configured-password-0123' };
    const alone = verdicts(await runShippedCases(ids, { betweenCases: 'fresh', security }));
    expect(alone).toEqual({ TC_A_09_CS: 'pass', TC_B_20_CS: 'pass' });
    const restored = await runShippedCases(ids, { betweenCases: 'restore', security });
    expect(verdicts(restored)).toEqual(alone);
    expect(restored.cases.find((c) => c.id === 'TC_A_09_CS')!.betweenCases!.after.join('\n')).toMatch(/SecurityCtrlr\.BasicAuthPassword set back to the configured value[\s\S]*connected again with the configured password/);
    expect(JSON.stringify(restored)).not.toContain(security.basicAuthPassword);
    const untouched = verdicts(await runShippedCases(ids, { betweenCases: 'none', security }));
    expect(untouched).not.toEqual(alone);
  }, 60_000);

  it.each([
    ['1.6', 'TC_073_CSMS', 'TC_085_CSMS'],
    ['2.0.1', 'TC_A_09_CSMS', 'TC_A_10_CSMS'],
  ] as const)('OCPP %s: a CSMS that gave the harness-station a new Basic-auth password (%s) is made to set the configured one back (A01)', async (ocpp, changing, next) => {
    // The first case leaves the reference CSMS admitting the station only with the password it
    // set; the second connects with the configured one.
    const ids = [changing, next];
    const options = { ocpp, sut: 'csms' as const, security: { profile: 1 as const, basicAuthPassword: 'configured-password-0123' } };
    const alone = verdicts(await runShippedCases(ids, { ...options, betweenCases: 'fresh' }));
    expect(alone).toEqual({ [changing]: 'pass', [next]: 'pass' });
    const restored = await runShippedCases(ids, { ...options, betweenCases: 'restore' });
    expect(verdicts(restored)).toEqual(alone);
    expect(restored.cases.find((c) => c.id === changing)!.betweenCases!.after.join('\n')).toMatch(/the CSMS set the configured Basic-auth password back and admitted the station with it/);
    expect(JSON.stringify(restored)).not.toContain(options.security.basicAuthPassword);
    const untouched = verdicts(await runShippedCases(ids, { ...options, betweenCases: 'none' }));
    expect(untouched).not.toEqual(alone);
  }, 60_000);

  it.each([
    ['1.6', 'TC_083_CSMS', 'TC_085_CSMS'],
    ['2.0.1', 'TC_A_19_CSMS', 'TC_B_01_CSMS'],
  ] as const)('OCPP %s: after %s upgraded the station, a CSMS that refuses the configured profile (A05.FR.07) makes the next case an error naming why, not a fail', async (ocpp, upgrading, next) => {
    const options = { ocpp, sut: 'csms' as const, security: { profile: 1 as const, basicAuthPassword: 'configured-password-0123' } };
    expect(verdicts(await runShippedCases([upgrading, next], { ...options, betweenCases: 'fresh' }))).toEqual({ [upgrading]: 'pass', [next]: 'pass' });
    const kept = await runShippedCases([upgrading, next], { ...options, betweenCases: 'restore' });
    expect(verdicts(kept)).toEqual({ [upgrading]: 'pass', [next]: 'error' });
    const refused = kept.cases.find((c) => c.id === next)!;
    expect(refused.verdict !== 'pass' ? refused.reason : '').toMatch(/after an earlier case had it upgrade station CS001 to security profile 2, as A05\.FR\.07 allows/);
  }, 60_000);

  it('the order of the cases does not matter', async () => {
    const ids = ['TC_B_02_CS', 'TC_B_30_CS', 'TC_F_08_CS', 'TC_G_03_CS', 'TC_G_11_CS', 'TC_B_21_CS', 'TC_J_02_CS'];
    const inPlanOrder = verdicts(await runShippedCases(ids, { betweenCases: 'restore' }));
    for (const seed of [7, 1234]) {
      expect(verdicts(await runShippedCases(ids, { betweenCases: 'restore', shuffleSeed: seed }))).toEqual(inPlanOrder);
    }
    expect(Object.values(inPlanOrder).every((verdict) => verdict === 'pass')).toBe(true);
  }, 90_000);

  it('reset mode resets the station after each case, and the lab\'s beforeEach/afterEach actions run around every case', async () => {
    const ids = ['TC_F_08_CS', 'TC_B_09_CS'];
    const reset = await runShippedCases(ids, { betweenCases: 'reset', hooks: { beforeEach: [{ action: 'goOnline' }], afterEach: [{ action: 'unplug', params: { evseId: 1, connectorId: 1 } }] } });
    expect(verdicts(reset)).toEqual({ TC_F_08_CS: 'pass', TC_B_09_CS: 'pass' });
    for (const c of reset.cases) {
      expect(c.betweenCases?.before).toContain('device action goOnline');
      expect(c.betweenCases?.after.join('\n')).toMatch(/Reset answered "Accepted"[\s\S]*device action unplug/);
    }
  }, 60_000);
});

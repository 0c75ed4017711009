import { describe, expect, it } from 'vitest';
import { createRecord } from '../../session/index.js';
import { SutLedger } from './sut-ledger.js';

const context = { ocppVersion: '1.6' as const, chargePointId: 'CS001', testId: 'TC_067_CS' };

/** Feeds the ledger one CSMS request and the station's answer, as the trace records them. */
function exchange(ledger: SutLedger, messageId: string, action: string, request: Record<string, unknown>, answer: Record<string, unknown>): void {
  ledger.write(createRecord(context, 'csms-to-cp', 'CALL', { messageId, action, payload: request }));
  ledger.write(createRecord(context, 'cp-to-csms', 'CALLRESULT', { messageId, action, payload: answer }));
}

const setProfile = (ledger: SutLedger, id: number, connectorId: number) =>
  exchange(ledger, `set-${id}`, 'SetChargingProfile', { connectorId, csChargingProfiles: { chargingProfileId: id } }, { status: 'Accepted' });

describe('the between-cases ledger of 1.6 charging profiles (1.6 §5.5 with errata 3.25)', () => {
  it('forgets a profile cleared by id, keeps those a clear by criteria may have left, forgets all on a clear without fields', () => {
    const ledger = new SutLedger();
    setProfile(ledger, 1, 0);
    setProfile(ledger, 2, 1);
    setProfile(ledger, 3, 1);
    exchange(ledger, 'c1', 'ClearChargingProfile', { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile' }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([1, 2, 3]);
    exchange(ledger, 'c2', 'ClearChargingProfile', { id: 1 }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([2, 3]);
    exchange(ledger, 'c3', 'ClearChargingProfile', {}, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([]);
  });

  it('remembers the TxProfile of an accepted remote start (1.6 §5.16.2, F01.FR.08), not of a rejected one', () => {
    const ledger = new SutLedger();
    exchange(ledger, 'r1', 'RemoteStartTransaction', { idTag: 'T', chargingProfile: { chargingProfileId: 591 } }, { status: 'Accepted' });
    exchange(ledger, 'r2', 'RemoteStartTransaction', { idTag: 'T', chargingProfile: { chargingProfileId: 601 } }, { status: 'Rejected' });
    exchange(ledger, 'r3', 'RequestStartTransaction', { remoteStartId: 1, idToken: {}, chargingProfile: { id: 137 } }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([591, 137]);
  });
});

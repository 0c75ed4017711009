import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../session/index.js';
import { SutLedger } from './sut-ledger.js';

let counter = 0;

/** A CALL of the harness (as CSMS) and the station's CALLRESULT, as the trace records them. */
function exchange(ledger: SutLedger, action: string, payload: Record<string, unknown>, answer: Record<string, unknown>): void {
  const messageId = `m${(counter += 1)}`;
  const base = { schemaVersion: '1', timestamp: new Date().toISOString(), ocppVersion: '2.0.1', transport: 'json' as const, messageId, meta: { testId: 'TC_K_06_CS' } } as unknown as TraceRecord;
  ledger.write({ ...base, direction: 'csms-to-cp', messageType: 'CALL', action, payload } as TraceRecord);
  ledger.write({ ...base, direction: 'cp-to-csms', messageType: 'CALLRESULT', payload: answer } as TraceRecord);
}

function setProfile(ledger: SutLedger, evseId: number, id: number, purpose: string, stackLevel: number): void {
  exchange(ledger, 'SetChargingProfile', { evseId, chargingProfile: { id, stackLevel, chargingProfilePurpose: purpose } }, { status: 'Accepted' });
}

describe('the ledger of charging profiles (what a case leaves to undo)', () => {
  it('forgets, on a clear by criteria, only the profiles that meet all of them (K10.FR.04)', () => {
    const ledger = new SutLedger();
    setProfile(ledger, 1, 106, 'TxDefaultProfile', 1);
    setProfile(ledger, 1, 116, 'TxDefaultProfile', 0);
    setProfile(ledger, 0, 126, 'ChargingStationMaxProfile', 1);
    exchange(ledger, 'ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1 } }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([116, 126]);
    exchange(ledger, 'ClearChargingProfile', { chargingProfileId: 116 }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([126]);
  });

  it('reads 1.6 clears: the request\'s own connectorId, purpose and stack level', () => {
    const ledger = new SutLedger();
    exchange(ledger, 'SetChargingProfile', { connectorId: 1, csChargingProfiles: { chargingProfileId: 7, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile' } }, { status: 'Accepted' });
    exchange(ledger, 'SetChargingProfile', { connectorId: 2, csChargingProfiles: { chargingProfileId: 8, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile' } }, { status: 'Accepted' });
    exchange(ledger, 'ClearChargingProfile', { connectorId: 2 }, { status: 'Accepted' });
    expect([...ledger.chargingProfiles.keys()]).toEqual([7]);
  });
});

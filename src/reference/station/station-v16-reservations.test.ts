import { afterEach, describe, expect, it } from 'vitest';
import { payloadOf, startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const statusesOf = (rig: StationRig) => rig.csms.callsOf('StatusNotification').map(payloadOf).map((status) => [status['connectorId'], status['status']]);
const lastStatusOf = (rig: StationRig, connectorId: number) => statusesOf(rig).filter(([id]) => id === connectorId).at(-1)?.[1];
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function answerOf(rig: StationRig, action: string, payload: Record<string, unknown>): Promise<unknown> {
  const answer = await rig.csms.call(action, payload);
  return answer.kind === 'result' ? answer.payload['status'] : answer.kind;
}

// The rig's station has connectors 1 and 2; its CSMS accepts every tag.
describe('reference station, OCPP 1.6: reservations (§5.1, §5.13)', () => {
  it('replaces a reservation with the same reservationId, and cancels only a reservation it holds', async () => {
    rig = await startStationRig('1.6');
    await rig.csms.waitForCall('StatusNotification', 3);
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 1, expiryDate: inMinutes(10), idTag: 'TAG-1', reservationId: 7 })).toBe('Accepted');
    await rig.csms.waitUntil(() => lastStatusOf(rig!, 1) === 'Reserved');
    // The same id for connector 2: the reservation moves, connector 1 is free again.
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 2, expiryDate: inMinutes(10), idTag: 'TAG-1', reservationId: 7 })).toBe('Accepted');
    await rig.csms.waitUntil(() => lastStatusOf(rig!, 2) === 'Reserved' && lastStatusOf(rig!, 1) === 'Available');
    // Another id for the reserved connector: Occupied.
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 2, expiryDate: inMinutes(10), idTag: 'TAG-2', reservationId: 8 })).toBe('Occupied');
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 8 })).toBe('Rejected');
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 7 })).toBe('Accepted');
    await rig.csms.waitUntil(() => lastStatusOf(rig!, 2) === 'Available');
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 7 })).toBe('Rejected');
    expect(rig.csms.schemaViolations()).toEqual([]);
  });

  it('a connector-0 reservation keeps the last free connector for its idTag; that transaction names it', async () => {
    rig = await startStationRig('1.6');
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 3);
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 0, expiryDate: inMinutes(10), idTag: 'TAG-R', reservationId: 21 })).toBe('Accepted');
    // Two connectors free for one reservation: neither is Reserved, and another tag may take one.
    await station.control.perform('plugIn', { connectorId: 1 });
    await station.control.perform('presentIdToken', { idToken: 'TAG-OTHER', connectorId: 1 });
    const first = payloadOf(await csms.waitForCall('StartTransaction'));
    expect(first).toMatchObject({ connectorId: 1, idTag: 'TAG-OTHER' });
    expect(first['reservationId']).toBeUndefined();
    // Now connector 2 is the one the reservation keeps.
    await csms.waitUntil(() => lastStatusOf(rig!, 2) === 'Reserved');
    await station.control.perform('presentIdToken', { idToken: 'TAG-THIRD', connectorId: 2 });
    await station.control.perform('presentIdToken', { idToken: 'TAG-R', connectorId: 2 });
    await csms.waitForCall('Authorize', 2);
    // TAG-THIRD was refused without asking the Central System.
    expect(csms.callsOf('Authorize').map(payloadOf).map((payload) => payload['idTag'])).toEqual(['TAG-OTHER', 'TAG-R']);
    await station.control.perform('plugIn', { connectorId: 2 });
    const second = payloadOf(await csms.waitForCall('StartTransaction', 2));
    expect(second).toMatchObject({ connectorId: 2, idTag: 'TAG-R', reservationId: 21 });
    // The transaction ended the reservation: it can no longer be cancelled.
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 21 })).toBe('Rejected');
  });

  it('a reservation ends at its expiryDate, and a faulted connector ends the one it holds', async () => {
    rig = await startStationRig('1.6', { evses: [{ id: 1, connectors: [{ id: 1 }] }] });
    const { csms, station } = rig;
    await csms.waitForCall('StatusNotification', 2);
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 1, expiryDate: new Date(Date.now() + 300).toISOString(), idTag: 'TAG-1', reservationId: 31 })).toBe('Accepted');
    await csms.waitUntil(() => lastStatusOf(rig!, 1) === 'Reserved');
    await csms.waitUntil(() => lastStatusOf(rig!, 1) === 'Available');
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 31 })).toBe('Rejected');
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 1, expiryDate: inMinutes(10), idTag: 'TAG-1', reservationId: 32 })).toBe('Accepted');
    await csms.waitUntil(() => statusesOf(rig!).filter(([id, status]) => id === 1 && status === 'Reserved').length === 2);
    await station.control.perform('faultConnector', { connectorId: 1 });
    await csms.waitUntil(() => lastStatusOf(rig!, 1) === 'Faulted');
    expect(await answerOf(rig, 'ReserveNow', { connectorId: 1, expiryDate: inMinutes(10), idTag: 'TAG-1', reservationId: 33 })).toBe('Faulted');
    // Cleared, the connector is Available: the fault ended reservation 32.
    await station.control.perform('clearFault', { connectorId: 1 });
    await csms.waitUntil(() => lastStatusOf(rig!, 1) === 'Available');
    expect(await answerOf(rig, 'CancelReservation', { reservationId: 32 })).toBe('Rejected');
  });
});

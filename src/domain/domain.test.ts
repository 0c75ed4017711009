import { describe, expect, it } from 'vitest';
import { TRACE_EVENT_KINDS, connectorName, connectorsOf, findConnector16, isPlugged } from './index.js';

const layout = [
  { id: 1, connectors: [{ id: 1, type: 'cType2' }, { id: 2 }] },
  { id: 2, connectors: [{ id: 3 }] },
];

describe('station layout', () => {
  it('lists every connector EVSE by EVSE, with its EVSE', () => {
    expect(connectorsOf(layout).map(({ evse, connector }) => [evse.id, connector.id])).toEqual([[1, 1], [1, 2], [2, 3]]);
  });

  it('finds a 1.6 connector by its station-wide id, and nothing for an id the layout lacks (0 is the station)', () => {
    expect(findConnector16(layout, 3)?.evse.id).toBe(2);
    expect(findConnector16(layout, 2)?.connector).toEqual({ id: 2 });
    expect(findConnector16(layout, 0)).toBeUndefined();
    expect(findConnector16(layout, 4)).toBeUndefined();
  });

  it('names a connector per version: per EVSE in 2.x, station-wide in 1.6', () => {
    expect(connectorName('2.0.1', 2, 1)).toBe('EVSE 2 connector 1');
    expect(connectorName('1.6', 2, 3)).toBe('connector 3');
  });
});

describe('connector status', () => {
  it('says a cable is in for 2.0.1 Occupied and the 1.6 session statuses, not for Available, Reserved, Unavailable or Faulted', () => {
    expect(['Occupied', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing'].filter(isPlugged)).toHaveLength(6);
    expect(['Available', 'Reserved', 'Unavailable', 'Faulted', 'Unknown'].filter(isPlugged)).toEqual([]);
  });
});

describe('trace event kinds', () => {
  it('lists each kind once', () => {
    expect(new Set(TRACE_EVENT_KINDS).size).toBe(TRACE_EVENT_KINDS.length);
    expect(TRACE_EVENT_KINDS).toContain('http-request');
  });
});

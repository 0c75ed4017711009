import { describe, expect, it } from 'vitest';
import { DeviceModel, type VariableDefinition } from './device-model.js';

function model(): DeviceModel {
  const definitions: VariableDefinition[] = [
    { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' }, mutability: 'ReadWrite', dataType: 'integer', value: '60' },
    { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'LimitChangeSignificance' }, mutability: 'ReadWrite', dataType: 'decimal', value: '0' },
    { component: { name: 'ClockCtrlr' }, variable: { name: 'NextTimeOffsetTransitionDateTime' }, mutability: 'ReadWrite', dataType: 'dateTime' },
  ];
  return new DeviceModel(definitions);
}

const set = (dm: DeviceModel, component: string, variable: string, value: string) => dm.set({ name: component }, { name: variable }, value).status;

describe('device model value formats (B05.FR.07, Part 2 data types)', () => {
  it('takes integers without plus sign or leading zeros only', () => {
    const dm = model();
    expect(['300', '-5', '0'].map((value) => set(dm, 'OCPPCommCtrlr', 'OfflineThreshold', value))).toEqual(['Accepted', 'Accepted', 'Accepted']);
    expect(['300.1', '+300', '0300', 'true', 'abc', '2024-01-01T00:00:00Z', ' 300'].map((value) => set(dm, 'OCPPCommCtrlr', 'OfflineThreshold', value)))
      .toEqual(Array(7).fill('Rejected'));
  });

  it('takes decimals with at most six places', () => {
    const dm = model();
    expect(['300', '300.1', '-0.123456'].map((value) => set(dm, 'SmartChargingCtrlr', 'LimitChangeSignificance', value))).toEqual(['Accepted', 'Accepted', 'Accepted']);
    expect(['0.1234567', 'true', 'abc', '1e3'].map((value) => set(dm, 'SmartChargingCtrlr', 'LimitChangeSignificance', value))).toEqual(Array(4).fill('Rejected'));
  });

  it('takes RFC 3339 date-times only', () => {
    const dm = model();
    expect(['2024-03-31T01:00:00Z', '2019-12-19T16:39:57.123+01:00'].map((value) => set(dm, 'ClockCtrlr', 'NextTimeOffsetTransitionDateTime', value))).toEqual(['Accepted', 'Accepted']);
    expect(['300', '300.1', 'true', 'abc', '2024-03-31', '2024-03-31T01:00:00.1234Z'].map((value) => set(dm, 'ClockCtrlr', 'NextTimeOffsetTransitionDateTime', value)))
      .toEqual(Array(6).fill('Rejected'));
  });
});

import { describe, expect, it } from 'vitest';
import { FEATURE_PROFILES_16, declarationSourceOf } from './index.js';

const source = declarationSourceOf('1.6');

/** A GetConfiguration.conf with these keys (read-only when the name ends in "!"). */
function answer(entries: Record<string, string | undefined>): Record<string, unknown> {
  return {
    configurationKey: Object.entries(entries).map(([name, value]) => ({ key: name.replace(/!$/, ''), readonly: name.endsWith('!'), ...(value === undefined ? {} : { value }) })),
  };
}

describe('what a 1.6 Charge Point declares in its configuration', () => {
  it('is asked with a GetConfiguration without keys, which §5.8 answers with every key', () => {
    expect(source.request(['Reservation'])).toEqual({ action: 'GetConfiguration', payload: {} });
    expect(declarationSourceOf('2.0.1').decides('key:HeartbeatInterval')).toBe(false);
  });

  it('decides the six profile names and key: / writable: ids, nothing else', () => {
    expect(FEATURE_PROFILES_16.every((profile) => source.decides(profile))).toBe(true);
    expect(['key:AuthorizationKey', 'writable:HeartbeatInterval'].every((id) => source.decides(id))).toBe(true);
    expect(['reservation', 'key:', 'writable:', 'FixedCable', 'C-09.1'].some((id) => source.decides(id))).toBe(false);
  });

  it('reads SupportedFeatureProfiles as a comma-separated list, spaces and case aside; Core is always declared', () => {
    const declared = source.read(answer({ 'SupportedFeatureProfiles!': 'Core, reservation,RemoteTrigger' }));
    expect(declared.lacks('Reservation')).toBeUndefined();
    expect(declared.lacks('RemoteTrigger')).toBeUndefined();
    expect(declared.lacks('SmartCharging')).toBe('the station\'s SupportedFeatureProfiles is "Core, reservation,RemoteTrigger"');
    const silent = source.read(answer({ HeartbeatInterval: '60' }));
    expect(silent.lacks('Core')).toBeUndefined();
    expect(silent.lacks('FirmwareManagement')).toBe('the station\'s GetConfiguration lists no SupportedFeatureProfiles');
  });

  it('key: needs the key listed (any case), writable: needs it not read-only', () => {
    const declared = source.read(answer({ 'heartbeatinterval': '60', 'NumberOfConnectors!': '2', 'AuthorizationKey': undefined }));
    expect(declared.lacks('key:HeartbeatInterval')).toBeUndefined();
    expect(declared.lacks('writable:HeartbeatInterval')).toBeUndefined();
    expect(declared.lacks('key:NumberOfConnectors')).toBeUndefined();
    expect(declared.lacks('writable:NumberOfConnectors')).toBe('read-only on the station');
    // A key listed without a value (known but not set, §7.29) is there.
    expect(declared.lacks('writable:AuthorizationKey')).toBeUndefined();
    expect(declared.lacks('key:LocalAuthListEnabled')).toBe('the station\'s GetConfiguration does not list LocalAuthListEnabled');
  });

  it('key:K>=N needs an integer value of at least N, key:K~V a comma-separated list naming V (§9.4 Smart Charging keys)', () => {
    const declared = source.read(answer({ 'MaxChargingProfilesInstalled!': '3', 'ChargeProfileMaxStackLevel!': '0', 'ChargingScheduleAllowedChargingRateUnit!': 'Current, power', 'ChargingScheduleMaxPeriods!': undefined }));
    expect(source.decides('key:MaxChargingProfilesInstalled>=3')).toBe(true);
    expect(declared.lacks('key:MaxChargingProfilesInstalled>=3')).toBeUndefined();
    expect(declared.lacks('key:ChargeProfileMaxStackLevel>=1')).toBe('the station\'s ChargeProfileMaxStackLevel is "0", the case needs at least 1');
    expect(declared.lacks('key:ChargingScheduleMaxPeriods>=5')).toBe('the station\'s ChargingScheduleMaxPeriods without a value, the case needs at least 5');
    expect(declared.lacks('key:ChargingScheduleAllowedChargingRateUnit~Current')).toBeUndefined();
    expect(declared.lacks('key:ChargingScheduleAllowedChargingRateUnit~Power')).toBeUndefined();
    expect(source.read(answer({ ChargingScheduleAllowedChargingRateUnit: 'Power' })).lacks('key:ChargingScheduleAllowedChargingRateUnit~Current'))
      .toBe('the station\'s ChargingScheduleAllowedChargingRateUnit is "Power", the case needs Current in it');
    expect(declared.lacks('key:MaxEnergyOnInvalidId>=1')).toBe('the station\'s GetConfiguration does not list MaxEnergyOnInvalidId');
  });

  it('reads an answer without a usable configurationKey as listing nothing', () => {
    for (const odd of [{}, { configurationKey: 'x' }, { configurationKey: [null, 7, { readonly: true }] }]) {
      expect(source.read(odd).lacks('key:HeartbeatInterval')).toBe('the station\'s GetConfiguration does not list HeartbeatInterval');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { declarationSourceOf } from './index.js';

const source = declarationSourceOf('2.0.1');

/** A GetVariablesResponse: one result per `Component.Variable`, Accepted with its value, or the status given after `!`. */
function answer(entries: Record<string, string | undefined>): Record<string, unknown> {
  return {
    getVariableResult: Object.entries(entries).map(([name, value]) => {
      const [component, variable] = name.split('.');
      const rejected = value?.startsWith('!');
      return {
        attributeStatus: rejected ? value!.slice(1) : 'Accepted',
        component: { name: component },
        variable: { name: variable },
        ...(value === undefined || rejected ? {} : { attributeValue: value }),
      };
    }),
  };
}

describe('what a 2.0.1 Charging Station declares in its device model', () => {
  it('decides var:Component.Variable ids, with or without a value need, and nothing else', () => {
    expect(['var:SmartChargingCtrlr.ProfileStackLevel>=1', 'var:SmartChargingCtrlr.RateUnit~W', 'var:AuthCtrlr.Enabled'].every((id) => source.decides(id))).toBe(true);
    expect(['var:', 'var:SmartChargingCtrlr', 'var:A.B.C', 'SC-2.1', 'key:HeartbeatInterval', 'feature:OneChargingRateUnit'].some((id) => source.decides(id))).toBe(false);
    expect(declarationSourceOf('2.1').decides('var:SmartChargingCtrlr.PeriodsPerSchedule>=3')).toBe(true);
  });

  it('asks with one GetVariables naming each variable once, whatever its needs (B06)', () => {
    expect(source.request(['var:SmartChargingCtrlr.ProfileStackLevel>=1', 'var:SmartChargingCtrlr.PeriodsPerSchedule>=3', 'var:smartchargingctrlr.profilestacklevel>=2', 'SC-2.1'])).toEqual({
      action: 'GetVariables',
      payload: {
        getVariableData: [
          { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'ProfileStackLevel' } },
          { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'PeriodsPerSchedule' } },
        ],
      },
    });
  });

  it('>=N needs an integer Actual value of at least N, ~V a list naming V, and the bare id an Accepted result', () => {
    const declared = source.read(answer({ 'SmartChargingCtrlr.ProfileStackLevel': '0', 'SmartChargingCtrlr.PeriodsPerSchedule': '24', 'smartchargingctrlr.rateunit': 'A, W', 'SmartChargingCtrlr.Enabled': undefined }));
    expect(declared.lacks('var:SmartChargingCtrlr.PeriodsPerSchedule>=3')).toBeUndefined();
    expect(declared.lacks('var:SmartChargingCtrlr.ProfileStackLevel>=1')).toBe('the station\'s SmartChargingCtrlr.ProfileStackLevel is "0", the case needs at least 1');
    expect(declared.lacks('var:SmartChargingCtrlr.RateUnit~w')).toBeUndefined();
    expect(declared.lacks('var:SmartChargingCtrlr.Enabled')).toBeUndefined();
    expect(declared.lacks('var:SmartChargingCtrlr.Enabled>=1')).toBe('the station\'s SmartChargingCtrlr.Enabled without a value, the case needs at least 1');
  });

  it('names the status of a variable the station does not have, and a result that is missing', () => {
    const declared = source.read(answer({ 'SmartChargingCtrlr.ProfileStackLevel': '!UnknownVariable', 'SmartChargingCtrlr.PeriodsPerSchedule': '!UnknownComponent' }));
    expect(declared.lacks('var:SmartChargingCtrlr.ProfileStackLevel>=1')).toBe('the station\'s GetVariables answers UnknownVariable for SmartChargingCtrlr.ProfileStackLevel');
    expect(declared.lacks('var:SmartChargingCtrlr.PeriodsPerSchedule')).toBe('the station\'s GetVariables answers UnknownComponent for SmartChargingCtrlr.PeriodsPerSchedule');
    expect(declared.lacks('var:SmartChargingCtrlr.RateUnit~W')).toBe('the station\'s GetVariables answer has no result for SmartChargingCtrlr.RateUnit');
    // Ids it does not decide are the configuration's: nothing to lack here.
    expect(declared.lacks('SC-2.2')).toBeUndefined();
  });

  it('reads an answer without a usable getVariableResult as declaring nothing', () => {
    for (const odd of [{}, { getVariableResult: 'x' }, { getVariableResult: [null, 7, { attributeStatus: 'Accepted' }, { component: 'SmartChargingCtrlr', variable: { name: 'ProfileStackLevel' } }] }]) {
      expect(source.read(odd).lacks('var:SmartChargingCtrlr.ProfileStackLevel')).toBe('the station\'s GetVariables answer has no result for SmartChargingCtrlr.ProfileStackLevel');
    }
  });
});

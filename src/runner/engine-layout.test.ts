import { describe, expect, it } from 'vitest';
import type { EvseConfig } from '../config/index.js';
import type { Payload } from '../protocol/index.js';
import { resolveConfig } from '../config/index.js';
import { generatePassword, sameFit, withEvses, withSecurityProfile } from './case-layout.js';
import { caseFile, csmsCaseFile, runAgainstCsms, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf } from './results.test-support.js';

const BOOT = `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
    checks: [R.1]`;

// A case that needs two EVSEs: one status per EVSE, and a message on the second EVSE by index.
const TWO_EVSES = csmsCaseFile('OH_EVSES_01_CSMS', `${BOOT}
  - forEach: evse
    send: StatusNotification
    payload: { timestamp: '{{now}}', connectorStatus: Available, evseId: '{{item.evseId}}', connectorId: 1 }
  - send: StatusNotification
    payload: { timestamp: '{{now}}', connectorStatus: Occupied, evseId: '{{config.evses.[1].id}}', connectorId: '{{config.evses.[1].connectors.[0].id}}' }
`, 'minEvses: 2\n');
const ONE_EVSE = csmsCaseFile('OH_EVSES_02_CSMS', `${BOOT}
  - forEach: evse
    send: StatusNotification
    payload: { timestamp: '{{now}}', connectorStatus: Available, evseId: '{{item.evseId}}', connectorId: 1 }
`);

const TWO_EVSES_CONFIG = { evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }] };

// A scripted CSMS that accepts the boot and notes every StatusNotification as "evse:status".
function recordingCsms(statuses: string[]) {
  return {
    onCall: (call: { action: string; payload: Payload }) => {
      if (call.action === 'StatusNotification') statuses.push(`${String(call.payload['evseId'])}:${String(call.payload['connectorStatus'])}`);
      return { payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } : {} };
    },
  };
}

describe('cases that need more than one EVSE (minEvses)', () => {
  it('are not applicable against a SUT configured with fewer EVSEs, and run when it has enough', async () => {
    const root = writeTree({ 'ocpp2.0.1/core/OH_EVSES_01_CSMS.yaml': TWO_EVSES, 'ocpp2.0.1/core/OH_EVSES_02_CSMS.yaml': ONE_EVSE });
    const few: string[] = [];
    const oneEvse = await runAgainstCsms(root, recordingCsms(few));
    expect(oneEvse.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual([
      ['OH_EVSES_01_CSMS', 'not-applicable', 'needs 2 EVSEs, the configuration declares 1 (evses)'],
      ['OH_EVSES_02_CSMS', 'pass', undefined],
    ]);
    expect(few).toEqual(['1:Available']);
    const enough: string[] = [];
    const twoEvses = await runAgainstCsms(root, recordingCsms(enough), { config: TWO_EVSES_CONFIG });
    expect(twoEvses.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_EVSES_01_CSMS', 'pass'], ['OH_EVSES_02_CSMS', 'pass']]);
    expect(enough).toEqual(['1:Available', '2:Available', '2:Occupied', '1:Available', '2:Available']);
  });

  it('get the EVSEs they need from the built-in reference, case by case (harness as station)', async () => {
    const root = writeTree({ 'ocpp2.0.1/core/OH_EVSES_01_CSMS.yaml': TWO_EVSES, 'ocpp2.0.1/core/OH_EVSES_02_CSMS.yaml': ONE_EVSE });
    const statuses: string[] = [];
    const starts: number[] = [];
    const result = await runAgainstCsms(root, recordingCsms(statuses), { reference: { onStart: (evses) => starts.push(evses.length) } });
    expect(result.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual([['OH_EVSES_01_CSMS', 'pass', undefined], ['OH_EVSES_02_CSMS', 'pass', undefined]]);
    // The first case needs two EVSEs, so the reference started for the station lane is started again with them; the next case is back to one.
    expect(starts).toEqual([1, 2, 1]);
    expect(statuses).toEqual(['1:Available', '2:Available', '2:Occupied', '1:Available']);
  });

  it('get a reference station with the EVSEs they need (harness as CSMS)', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_EVSES_03_CS.yaml': caseFile('OH_EVSES_03_CS', `
  - forEach: evse
    send: DataTransfer
    payload: { vendorId: 'evse-{{item.evseId}}' }
    checks: [R.1]
`, 'minEvses: 2\n'),
    });
    const vendors: unknown[] = [];
    const layouts: EvseConfig[][] = [];
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        vendors.push(call.payload['vendorId']);
        return { payload: { status: 'Accepted' } };
      },
    }, { onStart: (evses) => layouts.push(evses) });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(vendors).toEqual(['evse-1', 'evse-2']);
    expect(layouts.at(-1)).toEqual([{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }]);
  });

  it('add EVSEs after the highest configured id, with station-wide connector ids under OCPP 1.6', () => {
    const config = resolveConfig({ evses: [{ id: 3, connectors: [{ id: 1 }, { id: 2 }] }] });
    expect(withEvses(config, 1)).toBe(config);
    expect(withEvses(config, 3, '2.0.1').evses.slice(1)).toEqual([{ id: 4, connectors: [{ id: 1 }] }, { id: 5, connectors: [{ id: 1 }] }]);
    expect(withEvses(config, 2, '1.6').evses.slice(1)).toEqual([{ id: 4, connectors: [{ id: 3 }] }]);
  });
});

describe('cases that need a security profile (minSecurityProfile), against the built-in reference', () => {
  it('raise the profile, keeping a configured password and otherwise taking the run\'s generated one', () => {
    const plain = resolveConfig({});
    const generated = generatePassword();
    expect(generated).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(generatePassword()).not.toBe(generated);
    expect(withSecurityProfile(plain, 0, generated)).toBe(plain);
    expect(withSecurityProfile(plain, 2, generated).security).toEqual({ profile: 2, basicAuthPassword: generated });
    const basic = resolveConfig({ security: { profile: 1, basicAuthPassword: 'configured-password-0123' } });
    expect(withSecurityProfile(basic, 2, generated).security).toEqual({ profile: 2, basicAuthPassword: 'configured-password-0123' });
    expect(withSecurityProfile(plain, 3, generated).security).toEqual({ profile: 3 });
    expect(sameFit(plain, withSecurityProfile(plain, 2, generated))).toBe(false);
    expect(sameFit(plain, resolveConfig({}))).toBe(true);
  });
});

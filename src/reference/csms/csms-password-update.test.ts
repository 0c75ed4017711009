import { afterEach, describe, expect, it } from 'vitest';
import { HandshakeError } from '../../transport/index.js';
import { parseFault } from '../faults.js';
import { basicAuth, bootRequest, startRig, type TestRig } from './csms.test-support.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const OLD = 'configured-password-0123';
const NEW = 'new-password-456789abc';

/** Connects CS001 with the old password, boots it, and has the CSMS set NEW; the station answers `status`. */
async function passwordSet(faults: string[], status: string): Promise<TestRig> {
  const started = await startRig({ version: '2.0.1', security: basicAuth(OLD), faults: faults.map(parseFault) });
  const station = await started.connect({ password: OLD });
  await station.call('BootNotification', bootRequest('2.0.1'));
  station.session.setCallHandler(() => ({ payload: { setVariableResult: [{ attributeStatus: status, component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }] } }));
  const payload = { setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: NEW }] };
  expect(await started.csms.control.perform('csmsSend', { action: 'SetVariables', payload, awaitResponse: true })).toMatchObject({ status: 'done' });
  await station.session.close();
  return started;
}

async function statusWith(password: string): Promise<number> {
  try {
    const station = await rig!.connect({ password });
    await station.session.close();
    return 101;
  } catch (error) {
    return (error as HandshakeError).handshake.responseStatus;
  }
}

describe('reference CSMS: a new Basic-auth password (A01)', () => {
  it('admits the station only with the new password once it answered Accepted (A01.FR.03)', async () => {
    rig = await passwordSet([], 'Accepted');
    expect(await statusWith(OLD)).toBe(401);
    expect(await statusWith(NEW)).toBe(101);
  });

  it('keeps the old password when the station did not accept the new one (A01.FR.04)', async () => {
    rig = await passwordSet([], 'Rejected');
    expect(await statusWith(NEW)).toBe(401);
    expect(await statusWith(OLD)).toBe(101);
  });

  it('under behaviour:new-password-refused turns the new password away', async () => {
    rig = await passwordSet(['behaviour:new-password-refused'], 'Accepted');
    expect(await statusWith(NEW)).toBe(401);
  });

  it('1.6: takes a new AuthorizationKey the charge point accepted with ChangeConfiguration, and only then (whitepaper A01.FR.03/04)', async () => {
    const NEW_KEY = '0123456789abcdef0123456789abcdef';
    for (const [status, admitted, refused] of [['Accepted', NEW_KEY, OLD], ['Rejected', OLD, NEW_KEY]] as const) {
      rig = await startRig({ version: '1.6', security: basicAuth(OLD) });
      const station = await rig.connect({ password: OLD });
      await station.call('BootNotification', bootRequest('1.6'));
      station.session.setCallHandler(() => ({ payload: { status } }));
      const payload = { key: 'AuthorizationKey', value: NEW_KEY };
      expect(await rig.csms.control.perform('csmsSend', { action: 'ChangeConfiguration', payload, awaitResponse: true })).toMatchObject({ status: 'done' });
      await station.session.close();
      expect(await statusWith(refused)).toBe(401);
      expect(await statusWith(admitted)).toBe(101);
      await rig.close();
      rig = undefined;
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutcome } from '../../session/index.js';
import { startStationRig, type StationRig } from './station.test-support.js';

let rig: StationRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('reference station, OCPP 2.0.1: requests that follow the boot answer at once', () => {
  it('answers a request sent right behind the Pending answer as Pending (B02.FR.01)', async () => {
    let request: Promise<CallOutcome> | undefined;
    rig = await startStationRig('2.0.1', {
      prepare: (csms) => (csms.answers['BootNotification'] = () => {
        // Sent in the same turn as the answer: the station may read both at once.
        queueMicrotask(() => (request = csms.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }] })));
        return { payload: { currentTime: new Date().toISOString(), interval: 300, status: 'Pending' } };
      }),
    });
    await rig.csms.waitUntil(() => request !== undefined);
    const answer = await request!;
    expect(answer.kind === 'result' && answer.payload['getVariableResult']).toEqual([expect.objectContaining({ attributeStatus: 'Accepted' })]);
  });

  it('answers SecurityError right behind a Rejected answer (B03.FR.08), but not under behaviour:answer-while-rejected', async () => {
    for (const faultTexts of [[], ['behaviour:answer-while-rejected']]) {
      let request: Promise<CallOutcome> | undefined;
      rig = await startStationRig('2.0.1', {
        faultTexts,
        prepare: (csms) => (csms.answers['BootNotification'] = () => {
          queueMicrotask(() => (request = csms.call('GetBaseReport', { requestId: 1, reportBase: 'FullInventory' })));
          return { payload: { currentTime: new Date().toISOString(), interval: 300, status: 'Rejected' } };
        }),
      });
      await rig.csms.waitUntil(() => request !== undefined);
      const answer = await request!;
      if (faultTexts.length === 0) expect(answer).toMatchObject({ kind: 'error', errorCode: 'SecurityError' });
      else expect(answer).toMatchObject({ kind: 'result', payload: { status: 'Accepted' } });
      await rig.close();
      rig = undefined;
    }
  });
});

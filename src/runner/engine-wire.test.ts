import { describe, expect, it } from 'vitest';
import { schemasOf } from '../protocol/index.js';
import type { CallOutcome, Session } from '../session/index.js';
import { caseFile, csmsCaseFile, harnessFindings, runAgainstCsms, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { reasonOf, failureOf } from './results.test-support.js';

// Issue 11: the wire never waits, and the harness never sends an invalid reply. The scripted
// peers here behave like synchronous device APIs: an action returns only once the OCPP exchange
// it caused is over, so a harness that held the CALL until the next step would deadlock.

const TOKEN = { idToken: 'VALID-TOKEN-01', type: 'ISO14443' };
const NOW = () => new Date().toISOString();
const BOOT = { reason: 'PowerUp', chargingStation: { vendorName: 'Harness', model: 'Station' } };

/** A station whose presentIdToken returns only after its Authorize was answered, reporting the answer. */
function synchronousTokenReader(answers: CallOutcome[]) {
  return {
    onAction: async (name: string, _params: Record<string, unknown>, station: Session) => {
      if (name !== 'presentIdToken') return { status: 'unsupported' as const, reason: name };
      const outcome = await station.call('Authorize', { idToken: TOKEN });
      answers.push(outcome);
      return outcome.kind === 'result' ? { status: 'done' as const } : { status: 'failed' as const, reason: outcome.kind };
    },
  };
}

describe('the wire never waits (issue 11)', () => {
  it('harness as CSMS: answers the Authorize a synchronous presentIdToken causes with the next step\'s reply, at once', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_WIRE_01_CS.yaml': caseFile('OH_WIRE_01_CS', `
  - action: presentIdToken
  - expect: Authorize
    match: { idToken: { idToken: '{{config.idTokens.valid.idToken}}' } }
    capture: { token: idToken.idToken }
    reply: { idTokenInfo: { status: Accepted, language1: nl, groupIdToken: { idToken: 'G-{{captured.token}}', type: Central } } }
    checks: [R.1]
  - assert:
      count: { action: Authorize, min: 1, max: 1 }
`),
    });
    const answers: CallOutcome[] = [];
    const result = await runAgainstScript(root, synchronousTokenReader(answers));
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
    // The case's reply, with the value its own step captures, not the default one, and well before any
    // timeout (messageMs 2000, longOperationMs 3000).
    expect(answers).toMatchObject([{ kind: 'result', payload: { idTokenInfo: { status: 'Accepted', language1: 'nl', groupIdToken: { idToken: 'G-VALID-TOKEN-01' } } } }]);
    expect(result.cases[0]?.steps[0]?.durationMs).toBeLessThan(1000);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('looks ahead through a state the case uses, into anyOf branches, and on into the enclosing list', async () => {
    const root = writeTree({
      'ocpp2.0.1/states/cs/TokenPresented.yaml': `state: TokenPresented
ocpp: 2.0.1
sut: cs
description: the driver presents a token (the state ends before the station's Authorize is judged)
steps:
  - action: presentIdToken
`,
      'ocpp2.0.1/states/cs/AuthorizedAs.yaml': `state: AuthorizedAs
ocpp: 2.0.1
sut: cs
description: the station authorizes, and is told the group
params:
  group: G1
steps:
  - expect: Authorize
    reply: { idTokenInfo: { status: Accepted, groupIdToken: { idToken: '{{params.group}}', type: Central } } }
`,
      // The action's CALL is met by the expect that follows the state, in the case's own list.
      'ocpp2.0.1/core/OH_WIRE_02_CS.yaml': caseFile('OH_WIRE_02_CS', `
  - use: TokenPresented
  - expect: Authorize
    reply: { idTokenInfo: { status: Accepted, language1: de } }
    checks: [R.1]
`),
      // The action's CALL is met by a branch of an anyOf that opens with a state.
      'ocpp2.0.1/core/OH_WIRE_03_CS.yaml': caseFile('OH_WIRE_03_CS', `
  - action: presentIdToken
  - wait: { durationMs: 0 }
  - anyOf:
      - - expect: Heartbeat
          reply: { currentTime: '{{now}}' }
      - - use: AuthorizedAs
          with: { group: G7 }
    checks: [R.1]
`),
    });
    const answers: CallOutcome[] = [];
    const result = await runAgainstScript(root, synchronousTokenReader(answers));
    expect(result.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual([['OH_WIRE_02_CS', 'pass', undefined], ['OH_WIRE_03_CS', 'pass', undefined]]);
    expect(answers).toMatchObject([
      { kind: 'result', payload: { idTokenInfo: { language1: 'de' } } },
      { kind: 'result', payload: { idTokenInfo: { groupIdToken: { idToken: 'G7' } } } },
    ]);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('harness as CSMS: a station that authorizes before it answers RequestStartTransaction gets the case\'s reply at once (TC_F_04_CS)', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_WIRE_04_CS.yaml': caseFile('OH_WIRE_04_CS', `
  - send: RequestStartTransaction
    payload: { remoteStartId: 1, idToken: { idToken: '{{config.idTokens.valid.idToken}}', type: ISO14443 } }
    match: { status: Accepted }
  - expect: Authorize
    reply: { idTokenInfo: { status: Accepted, language1: fr } }
    checks: [R.1]
`),
    });
    const answers: CallOutcome[] = [];
    let station: Session | undefined;
    const result = await runAgainstScript(root, {
      onConnect: (connected) => void (station = connected),
      onCall: async (call) => {
        if (call.action !== 'RequestStartTransaction') return { payload: {} };
        answers.push(await station!.call('Authorize', { idToken: TOKEN }));
        return { payload: { status: 'Accepted' } };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(answers).toMatchObject([{ kind: 'result', payload: { idTokenInfo: { language1: 'fr' } } }]);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('harness as station: answers the CALL a synchronous csmsSend makes the CSMS send, while the action is in flight', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_WIRE_05_CSMS.yaml': csmsCaseFile('OH_WIRE_05_CSMS', `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
  - action: csmsSend
    params: { action: GetVariables }
  - expect: GetVariables
    reply: { getVariableResult: [ { attributeStatus: Accepted, attributeValue: '300', component: { name: OCPPCommCtrlr }, variable: { name: HeartbeatInterval } } ] }
    checks: [R.1]
`),
    });
    let answer: CallOutcome | undefined;
    const result = await runAgainstCsms(root, {
      onCall: (call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', interval: 300, currentTime: NOW() } : {} }),
      onAction: async (_name, _params, csms) => {
        answer = await csms!.call('GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] });
        return answer.kind === 'result' ? { status: 'done' } : { status: 'failed', reason: answer.kind };
      },
    });
    expect(reasonOf(result.cases[0])).toBeUndefined();
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(answer).toMatchObject({ kind: 'result', payload: { getVariableResult: [{ attributeValue: '300' }] } });
    expect(harnessFindings(result)).toEqual([]);
  });

  it('harness as station: answers a CSMS CALL while its own TransactionEvent is outstanding, and says so when that times out', async () => {
    const steps = (transactionId: string) => `
  - connection: open
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
  - send: TransactionEvent
    payload: { eventType: Started, timestamp: '{{now}}', triggerReason: Authorized, seqNo: 0, transactionInfo: { transactionId: ${transactionId} } }
    timeoutMs: 800
    checks: [R.1]
`;
    const root = writeTree({
      'ocpp2.0.1/core/OH_WIRE_06_CSMS.yaml': csmsCaseFile('OH_WIRE_06_CSMS', steps('answered')),
      'ocpp2.0.1/core/OH_WIRE_07_CSMS.yaml': csmsCaseFile('OH_WIRE_07_CSMS', steps('silent')),
    });
    const profiles: CallOutcome[] = [];
    const result = await runAgainstCsms(root, {
      onCall: async (call, csms) => {
        if (call.action === 'BootNotification') return { payload: { status: 'Accepted', interval: 300, currentTime: NOW() } };
        if (call.action !== 'TransactionEvent') return { payload: {} };
        // Like a CSMS that checks the station's profiles before it answers the transaction.
        profiles.push(await csms.call('GetChargingProfiles', { requestId: profiles.length + 1, chargingProfile: { chargingProfilePurpose: 'TxProfile' } }));
        const transaction = (call.payload['transactionInfo'] as { transactionId: string }).transactionId;
        return transaction === 'silent' ? { noReply: true } : { payload: {} };
      },
    });
    expect(result.cases.map((c) => c.verdict)).toEqual(['pass', 'fail']);
    expect(profiles).toMatchObject([{ kind: 'result', payload: { status: 'NoProfiles' } }, { kind: 'result', payload: { status: 'NoProfiles' } }]);
    expect(failureOf(result.cases[1])?.actual).toBe('no answer to TransactionEventRequest within 800 ms; meanwhile the SUT sent GetChargingProfiles (answered with the default reply)');
    expect(harnessFindings(result)).toEqual([]);
  });
});

describe('the harness never sends an invalid reply (issue 11)', () => {
  it('answers a mismatching BootNotification with a valid default and fails the step with the mismatch', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_VALID_01_CS.yaml': caseFile('OH_VALID_01_CS', `
  - action: reboot
  - expect: BootNotification
    match: { reason: RemoteReset }
    reply: { status: Accepted, interval: 300, currentTime: '{{now}}' }
    checks: [R.1]
`),
    });
    const answers: CallOutcome[] = [];
    const result = await runAgainstScript(root, {
      onAction: async (_name, _params, station) => {
        answers.push(await station.call('BootNotification', BOOT));
        return { status: 'done' };
      },
    });
    expect(result.cases[0]?.verdict).toBe('fail');
    expect(failureOf(result.cases[0])?.actual).toContain('reason: expected "RemoteReset", got "PowerUp"');
    expect(failureOf(result.cases[0])?.actual).toContain('answered with the default reply');
    expect(answers[0]).toMatchObject({ kind: 'result', payload: { status: 'Accepted', interval: 300 } });
    expect(schemasOf('2.0.1').validate('BootNotification', 'response', (answers[0] as { payload: unknown }).payload)).toBeUndefined();
    expect(harnessFindings(result)).toEqual([]);
  });

  it('sends the default instead of a case reply its schema rejects, and ends the case as error naming the action', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_VALID_02_CS.yaml': caseFile('OH_VALID_02_CS', `
  - action: presentIdToken
  - expect: Authorize
    reply: { idTokenInfo: { status: Maybe } }
    checks: [R.1]
`),
    });
    const answers: CallOutcome[] = [];
    const result = await runAgainstScript(root, synchronousTokenReader(answers));
    expect(result.cases[0]?.verdict).toBe('error');
    expect(reasonOf(result.cases[0])).toMatch(/the case's reply to Authorize breaks its schema: \/idTokenInfo\/status must be one of .*; the default reply was sent instead/);
    expect(answers).toMatchObject([{ kind: 'result', payload: { idTokenInfo: { status: 'Accepted' } } }]);
    expect(harnessFindings(result)).toEqual([]);
  });

  it('ends a case as error when a frame the harness sent carries a finding', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_VALID_03_CS.yaml': caseFile('OH_VALID_03_CS', `
  - send: Reset
    payload: { type: Sometimes }
    checks: [R.1]
`),
    });
    const result = await runAgainstScript(root, { onCall: () => ({ payload: { status: 'Accepted' } }) });
    expect(result.cases[0]?.verdict).toBe('error');
    expect(reasonOf(result.cases[0])).toMatch(/^harness sent an invalid frame: Reset request: \/type must be one of/);
    expect(harnessFindings(result)).toEqual([expect.stringContaining('Reset request: /type must be one of')]);
  });
});

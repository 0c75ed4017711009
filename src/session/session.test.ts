import { afterEach, describe, expect, it } from 'vitest';
import { OCPP_VERSIONS, type OcppVersion, type Payload } from '../protocol/index.js';
import { openLoopbackPair, waitForRecord, type LoopbackPair, type MemoryTrace, type Session, type TraceRecord } from './index.js';

// One valid request/response per version, plus one payload that breaks each schema.
const HEARTBEAT_RESPONSE = { currentTime: '2026-11-21T10:00:00.000Z' };
const BOOT: Record<OcppVersion, { request: Payload; invalidRequest: Payload }> = {
  '1.6': { request: { chargePointVendor: 'Vendor', chargePointModel: 'Model' }, invalidRequest: { chargePointVendor: 'V'.repeat(21), chargePointModel: 'M' } },
  '2.0.1': { request: { reason: 'PowerUp', chargingStation: { vendorName: 'Vendor', model: 'Model' } }, invalidRequest: { reason: 'PowerUp', chargingStation: { model: 'M' } } },
  '2.1': { request: { reason: 'PowerUp', chargingStation: { vendorName: 'Vendor', model: 'Model' } }, invalidRequest: { reason: 'Sneeze', chargingStation: { vendorName: 'V', model: 'M' } } },
};

let pair: LoopbackPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

const recordsOf = (session: Session) => (session as unknown as { options: { trace: MemoryTrace } }).options.trace.records;
const codes = (session: Session) => session.findings.map((finding) => finding.code);

describe.each(OCPP_VERSIONS)('OCPP %s session over loopback', (version) => {
  it('completes a CALL round trip from the station, recorded on both sides', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => ({ payload: HEARTBEAT_RESPONSE }));
    const outcome = await pair.cs.call('Heartbeat', {});
    expect(outcome).toMatchObject({ kind: 'result', payload: HEARTBEAT_RESPONSE });
    expect(outcome.kind === 'result' && outcome.problem).toBeFalsy();
    const csmsFrames = recordsOf(pair.csms).filter((r) => r.messageType !== 'EVENT');
    expect(csmsFrames.map((r) => [r.direction, r.messageType, r.action])).toEqual([
      ['cp-to-csms', 'CALL', 'Heartbeat'],
      ['csms-to-cp', 'CALLRESULT', 'Heartbeat'],
    ]);
    expect(csmsFrames[0]?.raw).toBe(`[2,"${outcome.messageId}","Heartbeat",{}]`);
    expect(pair.cs.findings).toEqual([]);
    expect(pair.csms.findings).toEqual([]);
  });

  it('completes a CALL round trip from the CSMS', async () => {
    pair = await openLoopbackPair({ version });
    pair.cs.setCallHandler((call) => ({ payload: call.action === 'ClearCache' ? { status: 'Accepted' } : {} }));
    expect(await pair.csms.call('ClearCache', {})).toMatchObject({ kind: 'result', payload: { status: 'Accepted' } });
  });

  it('delivers a CALLERROR as an outcome, spelled for the version', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => ({ error: 'OccurrenceConstraintViolation', description: 'missing field' }));
    const outcome = await pair.cs.call('Heartbeat', {});
    const expected = version === '1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation';
    expect(outcome).toMatchObject({ kind: 'error', errorCode: expected, errorDescription: 'missing field', errorDetails: {} });
    expect(pair.cs.findings).toEqual([]);
  });

  it('times out an unanswered CALL, reports it, and flags the late answer', async () => {
    pair = await openLoopbackPair({ version, callTimeoutMs: 50 });
    // The answer waits for the test; on a loaded host the CALL may even reach the CSMS after the timeout.
    let reached: (answer: () => void) => void;
    const answerLate = new Promise<() => void>((resolve) => (reached = resolve));
    pair.csms.setCallHandler(() => new Promise((resolve) => reached(() => resolve({ payload: HEARTBEAT_RESPONSE }))));
    const outcome = await pair.cs.call('Heartbeat', {});
    expect(outcome).toMatchObject({ kind: 'timeout', timeoutMs: 50 });
    expect(codes(pair.cs)).toEqual(['call-timeout']);
    const late = waitForRecord(pair.cs, (r) => r.messageType === 'CALLRESULT', 2000);
    (await answerLate)();
    expect((await late)?.meta.findings?.map((f) => f.code)).toEqual(['late-response']);
  });

  it('reports an orphan response with its message id', async () => {
    pair = await openLoopbackPair({ version });
    const seen = waitForRecord(pair.cs, (r) => r.messageType === 'CALLRESULT', 2000);
    pair.csms.sendRaw('[3,"nobody-asked",{}]');
    const record = await seen;
    expect(record?.meta.findings).toMatchObject([{ code: 'orphan-response', messageId: 'nobody-asked', severity: 'violation' }]);
  });

  it('answers a schema-violating CALL with a CALLERROR and records the violation', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => ({ payload: {} }));
    const outcome = await pair.cs.call('BootNotification', BOOT[version].invalidRequest);
    expect(outcome.kind).toBe('error');
    expect(codes(pair.csms)).toEqual(['schema-violation']);
    // Our own invalid request is recorded against us, too: the trace shows both sides' view.
    expect(codes(pair.cs)).toEqual(['schema-violation']);
  });

  it('records a schema-violating CALLRESULT and hands it back with the problem', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => ({ payload: { currentTime: 'not a time' } }));
    const outcome = await pair.cs.call('Heartbeat', {});
    expect(outcome.kind === 'result' && outcome.problem?.errorCode).toBe('FormatViolation');
    const received = recordsOf(pair.cs).find((r) => r.messageType === 'CALLRESULT');
    expect(received?.meta.findings?.[0]?.message).toMatch(/Heartbeat response: \/currentTime must match format/);
  });

  it('answers a frame that is not JSON with a CALLERROR carrying id "-1"', async () => {
    pair = await openLoopbackPair({ version });
    const answer = waitForRecord(pair.cs, (r) => r.messageType === 'CALLERROR', 2000);
    pair.cs.sendRaw('this is not json');
    const record = await answer;
    expect(record?.messageId).toBe('-1');
    expect(record?.error?.code).toBe(version === '1.6' ? 'FormationViolation' : 'RpcFrameworkError');
    const invalid = recordsOf(pair.csms).find((r) => r.messageType === 'INVALID');
    expect(invalid?.raw).toBe('this is not json');
    expect(record?.meta.findings ?? []).toEqual([]);
  });

  it('answers a CALL whose id is over 36 characters with a valid CALLERROR carrying "-1", and names the id in its finding', async () => {
    pair = await openLoopbackPair({ version });
    const longId = 'L'.repeat(37);
    const answer = waitForRecord(pair.cs, (r) => r.messageType === 'CALLERROR', 2000);
    pair.cs.sendRaw(`[2,"${longId}","Heartbeat",{}]`);
    const record = await answer;
    // We never send an invalid frame: the over-long id is not echoed (string[36], OCPP-J §4.1.4).
    expect([record?.messageId, record?.error?.code]).toEqual(['-1', version === '1.6' ? 'FormationViolation' : 'RpcFrameworkError']);
    const ours = recordsOf(pair.csms).filter((r) => r.direction === 'csms-to-cp' && r.messageType !== 'EVENT');
    expect(ours.flatMap((r) => r.meta.findings ?? [])).toEqual([]);
    expect(pair.csms.findings.map(({ code, messageId }) => [code, messageId])).toEqual([['message-id-invalid', longId]]);
  });

  it('echoes an id of exactly 36 characters', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => ({ payload: HEARTBEAT_RESPONSE }));
    const id = 'L'.repeat(36);
    const answer = waitForRecord(pair.cs, (r) => r.messageType === 'CALLRESULT', 2000);
    pair.cs.sendRaw(`[2,"${id}","Heartbeat",{}]`);
    expect((await answer)?.messageId).toBe(id);
    expect(pair.csms.findings).toEqual([]);
  });

  it('answers an unknown action with NotImplemented', async () => {
    pair = await openLoopbackPair({ version });
    const outcome = await pair.cs.call('MakeCoffee', {});
    expect(outcome).toMatchObject({ kind: 'error', errorCode: 'NotImplemented' });
  });

  it('keeps our CALLs one at a time and flags a peer that sends two', async () => {
    pair = await openLoopbackPair({ version });
    const order: string[] = [];
    pair.csms.setCallHandler((call) => {
      order.push(call.messageId);
      return { payload: HEARTBEAT_RESPONSE };
    });
    await Promise.all([pair.cs.call('Heartbeat', {}), pair.cs.call('Heartbeat', {}), pair.cs.call('Heartbeat', {})]);
    expect(order).toHaveLength(3);
    expect(pair.csms.findings).toEqual([]);
    // The station is still working on the first CALL when the second arrives.
    pair.cs.setCallHandler(() => new Promise(() => undefined));
    const flagged = waitForRecord(pair.cs, (r) => r.messageId === 'second', 2000);
    pair.csms.sendRaw('[2,"first","ClearCache",{}]');
    pair.csms.sendRaw('[2,"second","ClearCache",{}]');
    expect((await flagged)?.meta.findings?.map((f) => f.code)).toEqual(['concurrent-call']);
  });

  it('settles a pending CALL as closed when the peer drops the connection', async () => {
    pair = await openLoopbackPair({ version });
    pair.csms.setCallHandler(() => new Promise(() => undefined));
    const pending = pair.cs.call('Heartbeat', {});
    await waitForRecord(pair.csms, (r) => r.messageType === 'CALL', 2000);
    await pair.csms.close(1001, 'going away');
    expect(await pending).toMatchObject({ kind: 'closed' });
    const close = recordsOf(pair.cs).find((r): r is TraceRecord => r.meta.event?.kind === 'ws-close');
    expect(close?.meta.event).toMatchObject({ close: { code: 1001, reason: 'going away', initiatedBy: 'remote' } });
  });
});

describe('a CALL we do not answer on purpose', () => {
  it('does not count as outstanding when the peer, after its own timeout, sends the next CALL', async () => {
    pair = await openLoopbackPair({ version: '2.0.1' });
    pair.csms.setCallHandler((call) => (call.messageId === 'first' ? { noReply: true } : { payload: HEARTBEAT_RESPONSE }));
    const answered = waitForRecord(pair.cs, (r) => r.messageType === 'CALLRESULT', 2000);
    pair.cs.sendRaw('[2,"first","Heartbeat",{}]');
    await waitForRecord(pair.csms, (r) => r.messageId === 'first', 2000);
    pair.cs.sendRaw('[2,"second","Heartbeat",{}]');
    expect((await answered)?.messageId).toBe('second');
    expect(pair.csms.findings).toEqual([]);
  });
});

describe('OCPP 2.1 SEND', () => {
  it('is delivered, never answered, and may cross an outstanding CALL', async () => {
    pair = await openLoopbackPair({ version: '2.1' });
    const sends: string[] = [];
    pair.csms.on('send', (action) => sends.push(action));
    let release: (() => void) | undefined;
    // The handler runs once the frames that arrived with the CALL are recorded: wait for it.
    const handled = new Promise<void>((called) => pair!.csms.setCallHandler(() => {
      called();
      return new Promise((resolve) => (release = () => resolve({ payload: HEARTBEAT_RESPONSE })));
    }));
    const call = pair.cs.call('Heartbeat', {});
    const delivered = waitForRecord(pair.csms, (r) => r.messageType === 'SEND', 2000);
    pair.cs.send('NotifyPeriodicEventStream', { id: 1, pending: 0, basetime: '2026-11-21T10:00:00Z', data: [{ t: 0, v: '1' }] });
    expect((await delivered)?.meta.findings).toBeUndefined();
    await handled;
    release?.();
    expect((await call).kind).toBe('result');
    expect(sends).toEqual(['NotifyPeriodicEventStream']);
    expect(recordsOf(pair.cs).filter((r) => r.messageType !== 'EVENT').map((r) => r.messageType)).toEqual(['CALL', 'SEND', 'CALLRESULT']);
  });
});

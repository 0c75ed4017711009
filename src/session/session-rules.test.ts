import { afterEach, describe, expect, it } from 'vitest';
import type { Payload } from '../protocol/index.js';
import { openLoopbackPair, waitForRecord, type LoopbackPair, type LoopbackPairOptions, type Session } from './index.js';

// The rules beyond the schemas (datatypes, CALLERROR codes, stream rules), judged live over loopback.
let pair: LoopbackPair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

async function open(options: LoopbackPairOptions = {}): Promise<LoopbackPair> {
  pair = await openLoopbackPair(options);
  return pair;
}

const codes = (session: Session) => session.findings.map((finding) => finding.code);
const BOOT = { reason: 'PowerUp', chargingStation: { vendorName: 'Vendor', model: 'Model' } };
const transactionEvent = (seqNo: number, extra: Payload = {}): Payload => ({
  eventType: seqNo === 0 ? 'Started' : 'Updated', timestamp: '2026-11-21T10:00:00.000Z', triggerReason: 'Authorized', seqNo, transactionInfo: { transactionId: 'T-1' }, ...extra,
});

describe('Part 2 §2.1.4 datatypes, live', () => {
  it('flags a dateTime with 6 decimal places in the CSMS answer, and not one with 3', async () => {
    const { cs, csms } = await open();
    let currentTime = '2026-11-21T19:21:47.607+00:00';
    csms.setCallHandler(() => ({ payload: { currentTime } }));
    await cs.call('Heartbeat', {});
    expect(codes(csms)).toEqual([]);
    currentTime = '2026-11-21T19:21:47.607873+00:00';
    await cs.call('Heartbeat', {});
    expect(csms.findings.map((f) => [f.code, f.rule])).toEqual([['datetime-precision', 'OCPP 2.0.1 Part 2 §2.1.4 dateTime']]);
    expect(codes(cs)).toEqual(['datetime-precision']);
  });

  it('flags an idToken outside the identifierString character set', async () => {
    const { cs, csms } = await open();
    csms.setCallHandler(() => ({ payload: { idTokenInfo: { status: 'Accepted' } } }));
    await cs.call('Authorize', { idToken: { idToken: 'ABC-123', type: 'Local' } });
    expect(codes(csms)).toEqual([]);
    await cs.call('Authorize', { idToken: { idToken: 'ABC 123', type: 'Local' } });
    expect(codes(csms)).toEqual(['identifier-charset']);
  });
});

describe('CALLERROR semantics, live', () => {
  it('takes NotImplemented for an unknown action, and flags NotSupported', async () => {
    const { cs, csms } = await open();
    const answered = waitForRecord(csms, (r) => r.messageId === 'u1' && r.direction === 'cp-to-csms', 2000);
    csms.sendRaw('[2,"u1","NoSuchAction",{}]');
    expect((await answered)?.error?.code).toBe('NotImplemented');
    expect(codes(cs)).toEqual(['action-unknown']);
    expect(codes(csms)).toEqual([]);
    // A station that does not check actions and answers from its handler instead.
    await pair!.close();
    const lax = await open({ validate: false });
    lax.cs.setCallHandler(() => ({ error: 'NotSupported', description: 'not supported' }));
    const refused = waitForRecord(lax.csms, (r) => r.messageId === 'u2' && r.direction === 'cp-to-csms', 2000);
    lax.csms.sendRaw('[2,"u2","NoSuchAction",{}]');
    expect((await refused)?.meta.findings?.map((f) => [f.code, f.message])).toEqual([
      ['callerror-code-unexpected', 'CALLERROR NotSupported answers a faulty CALL (action "NoSuchAction" is not defined in OCPP 2.0.1); expected NotImplemented'],
    ]);
  });
});

describe('stream rules, live', () => {
  it('flags a TransactionEvent seqNo that jumps (0, 2), not one that counts (0, 1)', async () => {
    const { cs, csms } = await open();
    csms.setCallHandler(() => ({ payload: {} }));
    await cs.call('TransactionEvent', transactionEvent(0));
    await cs.call('TransactionEvent', transactionEvent(1));
    expect(codes(csms)).toEqual([]);
    await cs.call('TransactionEvent', transactionEvent(3));
    expect(csms.findings.map((f) => f.message)).toEqual(['TransactionEvent seqNo 3 follows 1 in transaction "T-1": 2 is missing']);
  });

  it('flags a TransactionEventResponse without the idTokenInfo its idToken is owed', async () => {
    const { cs, csms } = await open();
    let reply: Payload = { idTokenInfo: { status: 'Accepted' } };
    csms.setCallHandler(() => ({ payload: reply }));
    const idToken = { idToken: 'TAG1', type: 'ISO14443' };
    await cs.call('TransactionEvent', transactionEvent(0, { idToken }));
    expect(codes(csms)).toEqual([]);
    reply = {};
    await cs.call('TransactionEvent', transactionEvent(1, { idToken }));
    expect(codes(csms)).toEqual(['idtokeninfo-missing']);
  });

  it('flags a station that heartbeats far more often than the interval the CSMS set', async () => {
    const { cs, csms } = await open();
    csms.setCallHandler((call) => ({ payload: call.action === 'BootNotification' ? { status: 'Accepted', currentTime: '2026-11-21T10:00:00.000Z', interval: 300 } : { currentTime: '2026-11-21T10:00:00.000Z' } }));
    await cs.call('BootNotification', BOOT);
    await cs.call('Heartbeat', {});
    expect(codes(csms)).toEqual([]);
    await cs.call('Heartbeat', {});
    expect(csms.findings.map((f) => [f.code, f.severity])).toEqual([['heartbeat-interval', 'violation']]);
    // The harness as station is scripted: its own heartbeats are not judged on its side.
    expect(codes(cs)).toEqual([]);
  });

  it('judges two CALLs by arrival: the second arrived before the first was answered', async () => {
    const { cs, csms } = await open();
    // The station answers at once; the CSMS puts both CALLs on the wire in the same turn.
    cs.setCallHandler(() => ({ payload: { status: 'Accepted' } }));
    const second = waitForRecord(cs, (r) => r.messageId === 'c2' && r.messageType === 'CALL', 2000);
    csms.sendRaw('[2,"c1","ClearCache",{}]');
    csms.sendRaw('[2,"c2","ClearCache",{}]');
    const record = await second;
    expect(record?.meta.findings?.map((f) => f.code)).toEqual(['concurrent-call']);
    const answer = await waitForRecord(cs, (r) => r.messageId === 'c1' && r.messageType === 'CALLRESULT', 2000);
    // Records are dated by arrival: the second CALL is dated before the first one's answer.
    expect(record!.meta.monotonicMs).toBeLessThan(answer!.meta.monotonicMs);
  });
});

describe('payload nesting, live', () => {
  it('answers a CALL nested 5,000 deep with FormatViolation and a nesting-too-deep finding, and keeps working', async () => {
    const { cs, csms } = await open();
    const deep = `${'['.repeat(5000)}0${']'.repeat(5000)}`;
    const answered = waitForRecord(csms, (r) => r.messageId === 'd1' && r.direction === 'cp-to-csms', 2000);
    csms.sendRaw(`[2,"d1","Reset",{"type":${deep}}]`);
    const answer = await answered;
    expect([answer?.messageType, answer?.error?.code]).toEqual(['CALLERROR', 'FormatViolation']);
    expect(cs.findings.map((f) => [f.code, f.message])).toEqual([['nesting-too-deep', 'payload is nested deeper than 64 levels']]);
    // The sender's own session judges the frame it sent alike; the connection still carries the next CALL.
    expect(codes(csms)).toEqual(['nesting-too-deep']);
    csms.setCallHandler(() => ({ payload: { currentTime: '2026-11-21T19:21:47.607Z' } }));
    await cs.call('Heartbeat', {});
    expect([codes(cs), codes(csms)]).toEqual([['nesting-too-deep'], ['nesting-too-deep']]);
  });
});

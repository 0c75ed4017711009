import { describe, expect, it } from 'vitest';
import { RelayLedger, checkedPaths, handedBy, noteChecks } from './relay.js';
import type { StepResult } from './results.js';

const stepResult = (index: string): StepResult => ({ index, kind: 'expect', title: 'expect', status: 'pass', startedAt: '', durationMs: 0, requirementIds: [], records: [] });

describe('checkedPaths', () => {
  it('lists every literal and operator object of a pattern by payload path', () => {
    const pattern = { type: 'Immediate', evse: { id: 1, connectorId: { $exists: false } }, list: [{ a: 'x' }, 2], tags: [], shape: {} };
    expect(checkedPaths(pattern)).toEqual(['type', 'evse.id', 'evse.connectorId', 'list.0.a', 'list.1', 'tags', 'shape']);
  });

  it('checks nothing without a pattern, and the payload itself for an operator at the root', () => {
    expect(checkedPaths(undefined)).toEqual([]);
    expect(checkedPaths({ $type: 'object' })).toEqual(['']);
  });
});

describe('handedBy', () => {
  it('places the payload\'s values in the message, names the key parameters, and keeps the action', () => {
    expect(handedBy({ action: 'RequestStopTransaction', transactionId: 'TX-1', payload: { type: 'Immediate' } })).toEqual({
      action: 'RequestStopTransaction', placed: [{ at: [], value: { type: 'Immediate' } }], named: [{ name: 'transactionId', value: 'TX-1' }],
    });
    expect(handedBy({ action: 'X', payload: { evse: { id: 2 } }, prompt: 'p' }, ['action', 'payload.evse.id'])).toEqual({ action: 'X', placed: [{ at: ['evse', 'id'], value: 2 }], named: [] });
  });
});

describe('noteChecks', () => {
  const handed = (params: unknown) => [handedBy(params)];

  it('counts a checked value as supplied when the adapter put an equal value at its payload path, or handed a key parameter of its name', () => {
    const values = handed({ action: 'RequestStopTransaction', transactionId: 'TX-1', payload: { type: 'Immediate' } });
    expect(noteChecks({ transactionId: 'TX-1', type: 'Immediate' }, { transactionId: 'TX-1', type: 'Immediate' }, values)).toEqual({ supplied: ['transactionId', 'type'], notSupplied: [] });
  });

  it('judges an operator by the value it accepted: a handed remoteStartId is supplied, one the SUT chose is not', () => {
    const values = handed({ action: 'RequestStartTransaction', payload: { remoteStartId: 101 } });
    const pattern = { remoteStartId: { $type: 'integer' } };
    expect(noteChecks(pattern, { remoteStartId: 101 }, values)).toEqual({ supplied: ['remoteStartId'], notSupplied: [] });
    expect(noteChecks(pattern, { remoteStartId: 7 }, values)).toEqual({ supplied: [], notSupplied: ['remoteStartId'] });
  });

  it('judges an absence by the nearest enclosing object: handing the object over hands over what it lacks', () => {
    const pattern = { operationalStatus: 'Inoperative', evse: { id: 2, connectorId: { $exists: false } } };
    const payload = { operationalStatus: 'Inoperative', evse: { id: 2 } };
    expect(noteChecks(pattern, payload, handed({ action: 'ChangeAvailability', payload }))).toEqual({ supplied: ['operationalStatus', 'evse.id', 'evse.connectorId'], notSupplied: [] });
    // Only key parameters: the SUT built the evse object, so leaving connectorId out was its own doing.
    expect(noteChecks(pattern, payload, handed({ action: 'ChangeAvailability', evseId: 2, operationalStatus: 'Inoperative' }))).toEqual({ supplied: ['operationalStatus', 'evse.id'], notSupplied: ['evse.connectorId'] });
  });

  it('is exact: an equal value handed at another place, or under another name, supplies nothing', () => {
    const values = handed({ action: 'X', payload: { id: '1', evse: { id: 1, connectorId: 1 } }, limit: 1 });
    // count is 1 like the handed evse.id and limit, but nobody handed a count; evse differs from the handed one.
    expect(noteChecks({ count: 1, evse: { $exists: true } }, { count: 1, evse: { id: 1 } }, values)).toEqual({ supplied: [], notSupplied: ['count', 'evse'] });
    // A string is not the number it spells.
    expect(noteChecks({ id: 1 }, { id: 1 }, values)).toEqual({ supplied: [], notSupplied: ['id'] });
    expect(noteChecks({ evse: { connectorId: 1 } }, { evse: { connectorId: 1 } }, values)).toEqual({ supplied: ['evse.connectorId'], notSupplied: [] });
  });
});

describe('RelayLedger', () => {
  it('marks the running step and calls the case relayed when every match rested on handed values', () => {
    const ledger = new RelayLedger();
    expect(ledger.relayed).toBe(false);
    ledger.hand({ action: 'Reset', payload: { type: 'OnIdle' } });
    const step = stepResult('2');
    const leave = ledger.enter(step);
    ledger.note('Reset', { type: 'OnIdle' }, { type: 'OnIdle' });
    leave();
    expect(step.relay).toEqual({ supplied: ['type'], notSupplied: [] });
    expect(ledger.relayed).toBe(true);
  });

  it('counts only what the adapter passes on, when it says what that is', () => {
    const ledger = new RelayLedger();
    ledger.hand({ action: 'ChangeAvailability', evseId: 2, payload: { operationalStatus: 'Inoperative', evse: { id: 2 } } }, ['action', 'evseId', 'transactionId']);
    const step = stepResult('3');
    ledger.enter(step);
    ledger.note('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } }, { operationalStatus: 'Inoperative', evse: { id: 2 } });
    expect(step.relay).toEqual({ supplied: ['evse.id'], notSupplied: ['operationalStatus'] });
    expect(ledger.relayed).toBe(false);
  });

  it('keeps notes on the step that was running: a nested step restores its parent when it ends', () => {
    const ledger = new RelayLedger();
    ledger.hand({ action: 'GetVariables', payload: { a: 1, b: 2 } });
    const outer = stepResult('3');
    const inner = stepResult('3.1');
    const leaveOuter = ledger.enter(outer);
    ledger.enter(inner)();
    ledger.note('GetVariables', { a: 1 }, { a: 1 });
    ledger.note('GetVariables', { b: 2, c: 3 }, { b: 2, c: 3 });
    leaveOuter();
    expect(inner.relay).toBeUndefined();
    expect(outer.relay).toEqual({ supplied: ['a', 'b'], notSupplied: ['c'] });
    expect(ledger.relayed).toBe(false);
  });

  it('treats a message no device action named as the SUT\'s own, even when its values were handed', () => {
    const ledger = new RelayLedger();
    ledger.hand({ action: 'Reset', payload: { type: 'OnIdle' } });
    const step = stepResult('4');
    ledger.enter(step);
    ledger.note('Reset', undefined, { type: 'OnIdle' });
    expect(ledger.relayed).toBe(true);
    ledger.note('TriggerMessage', { type: 'OnIdle' }, { type: 'OnIdle' });
    expect(step.relay).toEqual({ supplied: [], notSupplied: [] });
    expect(ledger.relayed).toBe(false);
  });
});

describe('RelayLedger.origins (issue 13 item 7)', () => {
  it('sorts each check by where its value came from: a device action, a frame the harness sent before (same field name), or the SUT', () => {
    const sent: Record<string, unknown[]> = { m2: [{ remoteStartId: 42, idToken: { idToken: 'TOKEN-1', type: 'ISO14443' } }] };
    const ledger = new RelayLedger((messageId) => sent[messageId ?? ''] ?? []);
    ledger.hand({ action: 'Reset', payload: { type: 'OnIdle' } });
    const leave = ledger.enter(stepResult('3'));
    ledger.note('Reset', { type: 'OnIdle', evseId: 1 }, { type: 'OnIdle', evseId: 1 }, 'm1');
    const event = { transactionInfo: { remoteStartId: 42 }, idToken: { idToken: 'TOKEN-1' }, eventType: 'Started', seqNo: 42 };
    ledger.note('TransactionEvent', event, event, 'm2');
    // The same values in a message that came before the harness sent them are the SUT's own.
    ledger.note('TransactionEvent', { idToken: { idToken: 'TOKEN-1' } }, event, 'm0');
    ledger.noteResponse('RequestStartTransaction', { status: 'Accepted' }, { status: 'Accepted' }, 'm2');
    leave();
    expect(ledger.origins).toEqual({
      adapter: ['3 ResetRequest type'],
      // seqNo equals the remoteStartId the harness sent, under another name: the SUT's own.
      harness: ['3 TransactionEventRequest transactionInfo.remoteStartId', '3 TransactionEventRequest idToken.idToken'],
      sut: ['3 ResetRequest evseId', '3 TransactionEventRequest eventType', '3 TransactionEventRequest seqNo', '3 TransactionEventRequest idToken.idToken', '3 RequestStartTransactionResponse status'],
    });
  });
});

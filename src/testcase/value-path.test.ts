import { describe, expect, it } from 'vitest';
import { appendPath, parsePath, readPath, readSegments } from './value-path.js';

const payload = {
  transactionInfo: { transactionId: 'tx-1', stoppedReason: null },
  getVariableResult: [{ attributeValue: '300' }, { attributeValue: 'true' }],
  empty: '',
  zero: 0,
};

describe('readPath', () => {
  it('reads nested keys and array indices', () => {
    expect(readPath(payload, 'transactionInfo.transactionId')).toEqual({ found: true, value: 'tx-1' });
    expect(readPath(payload, 'getVariableResult.1.attributeValue')).toEqual({ found: true, value: 'true' });
    expect(readPath(payload, 'getVariableResult.0')).toEqual({ found: true, value: { attributeValue: '300' } });
  });

  it('returns the value itself for the empty path', () => {
    expect(readPath(payload, '')).toEqual({ found: true, value: payload });
    expect(readPath(7, '')).toEqual({ found: true, value: 7 });
    expect(readPath(undefined, '')).toEqual({ found: false });
  });

  it('finds falsy values: null, empty string, zero', () => {
    expect(readPath(payload, 'transactionInfo.stoppedReason')).toEqual({ found: true, value: null });
    expect(readPath(payload, 'empty')).toEqual({ found: true, value: '' });
    expect(readPath(payload, 'zero')).toEqual({ found: true, value: 0 });
  });

  it('reports missing keys, out-of-range and non-canonical indices as not found', () => {
    expect(readPath(payload, 'transactionInfo.missing')).toEqual({ found: false });
    expect(readPath(payload, 'getVariableResult.2')).toEqual({ found: false });
    expect(readPath(payload, 'getVariableResult.-1')).toEqual({ found: false });
    expect(readPath(payload, 'getVariableResult.01')).toEqual({ found: false });
    expect(readPath(payload, 'getVariableResult.length')).toEqual({ found: false });
  });

  it('never walks into scalars or inherited properties, and never throws', () => {
    expect(readPath(payload, 'transactionInfo.transactionId.length')).toEqual({ found: false });
    expect(readPath(payload, 'transactionInfo.stoppedReason.x')).toEqual({ found: false });
    expect(readPath(payload, 'constructor')).toEqual({ found: false });
    expect(readPath(payload, '__proto__')).toEqual({ found: false });
    expect(readPath(null, 'a')).toEqual({ found: false });
    expect(readPath(payload, 'a..b')).toEqual({ found: false });
  });

  it('treats a key holding undefined as absent', () => {
    expect(readPath({ a: undefined }, 'a')).toEqual({ found: false });
    expect(readPath([undefined], '0')).toEqual({ found: false });
  });
});

describe('parsePath, readSegments and appendPath', () => {
  it('splits on dots, the empty path being no segment', () => {
    expect(parsePath('a.0.b')).toEqual(['a', '0', 'b']);
    expect(parsePath('')).toEqual([]);
  });

  it('reads pre-split segments', () => {
    expect(readSegments(payload, ['getVariableResult', '0', 'attributeValue'])).toEqual({ found: true, value: '300' });
  });

  it('joins without a leading dot at the root', () => {
    expect(appendPath('', 'reason')).toBe('reason');
    expect(appendPath('meterValue', 0)).toBe('meterValue.0');
  });
});

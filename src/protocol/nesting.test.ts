import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_DEPTH, checkPayload, isNestedDeeperThan, parseFrame, schemasOf } from './index.js';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('payload nesting', () => {
  it('counts objects and arrays: {} is one level, a payload of 64 levels is allowed, 65 are not', () => {
    expect(isNestedDeeperThan({}, 1)).toBe(false);
    expect(isNestedDeeperThan({ a: [] }, 1)).toBe(true);
    const atLimit = parseFrame(`[2,"1","DataTransfer",{"vendorId":"V","data":${nested(MAX_PAYLOAD_DEPTH - 1)}}]`, '2.0.1');
    expect(atLimit.ok).toBe(true);
    const past = parseFrame(`[2,"1","DataTransfer",{"vendorId":"V","data":${nested(MAX_PAYLOAD_DEPTH)}}]`, '2.0.1');
    expect(past).toEqual({ ok: false, problem: {
      errorCode: 'FormatViolation', description: 'payload is nested deeper than 64 levels', reply: 'callerror', findingCode: 'nesting-too-deep',
      messageType: 2, messageId: '1', action: 'DataTransfer',
    } });
  });

  it('judges a million levels without a RangeError', () => {
    const text = `[3,"1",{"a":${nested(1_000_000)}}]`;
    const parsed = parseFrame(text, '1.6');
    expect(parsed.ok ? undefined : [parsed.problem.findingCode, parsed.problem.reply]).toEqual(['nesting-too-deep', 'ignore']);
  });

  it('never hands a payload deeper than the cap to ajv: it is one nesting-too-deep problem', () => {
    const payload = JSON.parse(`{"vendorId":"V","data":${nested(5000)}}`) as Record<string, unknown>;
    expect(schemasOf('2.0.1').validate('DataTransfer', 'request', payload)?.map((v) => [v.keyword, v.errorCode])).toEqual([['nesting', 'FormatViolation']]);
    const problem = checkPayload('1.6', 'DataTransfer', 'request', payload, '7');
    expect([problem?.finding.code, problem?.finding.rule, problem?.errorCode]).toEqual(['nesting-too-deep', 'OCPP-J 1.6 §4.2.3 (FormationViolation)', 'FormatViolation']);
  });
});

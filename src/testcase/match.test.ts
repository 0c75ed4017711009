import { describe, expect, it } from 'vitest';
import { certificateForCsr, certificateHashData, createCsr, TestPki } from '../pki/index.js';
import { PatternError, checkPattern, describePattern, matchPayload, type Mismatch } from './match.js';

const options = { timeToleranceMs: 4000 };
const match = (pattern: unknown, actual: unknown): Mismatch[] => matchPayload(pattern, actual, options);

const boot = {
  reason: 'PowerUp',
  chargingStation: { vendorName: 'Acme', model: 'X1', modem: { iccid: '8931' } },
  meterValue: [{ timestamp: '2026-11-21T10:00:00Z', sampledValue: [{ value: 12.5, measurand: 'Energy.Active.Import.Register' }, { value: '7', measurand: 'Power.Active.Import' }] }],
};

describe('matchPayload: plain patterns', () => {
  it('matches nested objects partially: extra keys in the payload are fine', () => {
    expect(match({ reason: 'PowerUp', chargingStation: { vendorName: 'Acme' } }, boot)).toEqual([]);
    expect(match({}, boot)).toEqual([]);
  });

  it('compares scalars strictly, with the dotted path of the difference', () => {
    expect(match({ chargingStation: { modem: { iccid: 8931 } } }, boot)).toEqual([
      { path: 'chargingStation.modem.iccid', expected: '8931', actual: '"8931"' },
    ]);
    expect(match('a', 'a')).toEqual([]);
    expect(match(null, null)).toEqual([]);
    expect(match(true, 'true')).toEqual([{ path: '', expected: 'true', actual: '"true"' }]);
  });

  it('reports an absent key, and a non-object where an object was wanted', () => {
    expect(match({ firmwareVersion: '1.0' }, boot)).toEqual([{ path: 'firmwareVersion', expected: '"1.0"', actual: 'absent' }]);
    expect(match({ reason: { code: 1 } }, boot)).toEqual([{ path: 'reason', expected: '{"code":1}', actual: '"PowerUp"' }]);
    expect(match({ a: 1 }, [1])).toEqual([{ path: '', expected: '{"a":1}', actual: '[1]' }]);
  });

  it('matches arrays pairwise, each element partially', () => {
    expect(match({ meterValue: [{ sampledValue: [{ value: 12.5 }, { measurand: 'Power.Active.Import' }] }] }, boot)).toEqual([]);
    expect(match({ meterValue: [{ sampledValue: [{ value: 12.5 }, { value: 8 }] }] }, boot)).toEqual([
      { path: 'meterValue.0.sampledValue.1.value', expected: '8', actual: '"7"' },
    ]);
  });

  it('fails an array of another length, or a non-array', () => {
    expect(match({ meterValue: [{}, {}] }, boot)).toEqual([{ path: 'meterValue', expected: 'an array of 2 element(s)', actual: expect.stringMatching(/^\[\{"timestamp"/) }]);
    expect(match({ reason: [] }, boot)).toEqual([{ path: 'reason', expected: '[]', actual: '"PowerUp"' }]);
  });

  it('reports every mismatch, not only the first', () => {
    const mismatches = match({ reason: 'Triggered', chargingStation: { vendorName: 'Other', serialNumber: { $exists: true } }, meterValue: [{ timestamp: { $type: 'number' } }] }, boot);
    expect(mismatches.map((found) => found.path)).toEqual(['reason', 'chargingStation.vendorName', 'chargingStation.serialNumber', 'meterValue.0.timestamp']);
    expect(mismatches[2]).toEqual({ path: 'chargingStation.serialNumber', expected: 'present', actual: 'absent' });
  });

  it('truncates long actual values to about 80 characters', () => {
    const [found] = match({ a: 'short' }, { a: 'x'.repeat(200) });
    expect(found?.actual.length).toBe(80);
    expect(found?.actual.endsWith('…')).toBe(true);
  });

  it('treats an undefined payload as absent', () => {
    expect(match({ $exists: false }, undefined)).toEqual([]);
    expect(match({ a: 1 }, undefined)).toEqual([{ path: '', expected: '{"a":1}', actual: 'absent' }]);
  });
});

describe('matchPayload: operators', () => {
  const cases: Array<[name: string, pattern: unknown, passes: unknown, fails: unknown, expected: string]> = [
    ['$eq compares deeply and exactly', { $eq: { a: [1, 2] } }, { a: [1, 2] }, { a: [1, 2], b: 3 }, '{"a":[1,2]}'],
    ['$ne', { $ne: 'Rejected' }, 'Accepted', 'Rejected', 'not "Rejected"'],
    ['$in', { $in: ['Accepted', 'Rejected'] }, 'Rejected', 'Unknown', 'one of ["Accepted","Rejected"]'],
    ['$regex', { $regex: '^CS' }, 'CS-001', 'cs-001', 'a value matching /^CS/'],
    ['$regex with $flags', { $regex: '^cs', $flags: 'i' }, 'CS-001', 'XCS', 'a value matching /^cs/i'],
    ['$regex on a non-string', { $regex: '1' }, '1', 1, 'a value matching /1/'],
    ['$gt', { $gt: 5 }, 6, 5, '> 5'],
    ['$gte', { $gte: 1 }, 1, 0, '>= 1'],
    ['$lt', { $lt: 0 }, -1, 0, '< 0'],
    ['$lte', { $lte: 10 }, '9.5', '10.5', '<= 10'],
    ['comparisons reject non-numeric strings', { $gte: 0 }, '0', 'abc', '>= 0'],
    ['several operators must all hold', { $gte: 1, $lte: 5 }, 3, 6, '<= 5'],
    ['$gte with a date-time orders date-times', { $gte: '2026-11-21T10:00:00Z' }, '2026-11-21T11:00:00+01:00', '2026-11-21T09:59:59.999Z', '>= "2026-11-21T10:00:00Z"'],
    ['a date-time bound refuses what is no date-time', { $lt: '2026-11-21T10:00:00Z' }, '2026-01-01T00:00:00Z', 5, '< "2026-11-21T10:00:00Z"'],
    ['$contains', { $contains: { measurand: 'Energy.Active.Import.Register' } }, boot.meterValue[0]?.sampledValue, [{ measurand: 'Voltage' }],
      'an array containing {"measurand":"Energy.Active.Import.Register"}'],
    ['$contains on a non-array', { $contains: 1 }, [1], 1, 'an array containing 1'],
    ['$length on an object', { $length: 2 }, [1, 2], { length: 2 }, 'length 2'],
    ['$length on a non-array', { $length: 1 }, 'a', 5, 'length 1'],
    ['$anyOf', { $anyOf: ['Accepted', { $regex: '^Re' }] }, 'Rejected', 'Unknown', 'any of ("Accepted" | a value matching /^Re/)'],
    ['$not', { $not: { $in: ['Faulted', 'Unavailable'] } }, 'Available', 'Faulted', 'not one of ["Faulted","Unavailable"]'],
    ['$timeNear', { $timeNear: '2026-11-21T10:00:00Z' }, '2026-11-21T10:00:03.999Z', '2026-11-21T10:00:04.001Z',
      'a time within 4000 ms of 2026-11-21T10:00:00.000Z'],
    ['$timeNear across offsets', { $timeNear: '2026-11-21T10:00:00Z' }, '2026-11-21T11:00:01+01:00', 'yesterday', 'a time within 4000 ms of 2026-11-21T10:00:00.000Z'],
    ['$timeNear with $toleranceMs', { $timeNear: '2026-11-21T10:00:00Z', $toleranceMs: 10_000 }, '2026-11-21T09:59:51Z', '2026-11-21T10:00:11Z',
      'a time within 10000 ms of 2026-11-21T10:00:00.000Z'],
    ['$type string', { $type: 'string' }, '', 0, 'a value of type string'],
    ['$type number', { $type: 'number' }, 1.5, '1.5', 'a value of type number'],
    ['$type integer', { $type: 'integer' }, 3, 3.5, 'a value of type integer'],
    ['$type boolean', { $type: 'boolean' }, false, 'false', 'a value of type boolean'],
    ['$type object', { $type: 'object' }, {}, [], 'a value of type object'],
    ['$type array', { $type: 'array' }, [], {}, 'a value of type array'],
    ['$type null', { $type: 'null' }, null, 0, 'a value of type null'],
  ];

  it.each(cases)('%s', (_name, pattern, passes, fails, expected) => {
    expect(match({ field: pattern }, { field: passes })).toEqual([]);
    expect(match({ field: pattern }, { field: fails })).toEqual([{ path: 'field', expected, actual: JSON.stringify(fails) }]);
  });

  it('$length takes a pattern and shows the actual length', () => {
    expect(match({ list: { $length: { $gte: 1 } }, name: { $length: 3 } }, { list: [0], name: 'abc' })).toEqual([]);
    expect(match({ name: { $length: 2 } }, { name: 'abc' })).toEqual([{ path: 'name', expected: 'length 2', actual: '"abc" (length 3)' }]);
    expect(match({ list: { $length: { $gte: 1 } } }, { list: [] })).toEqual([{ path: 'list', expected: 'length >= 1', actual: '[] (length 0)' }]);
  });

  it('$all reports each pattern that no element matches', () => {
    const samples = boot.meterValue[0]?.sampledValue;
    expect(match({ s: { $all: [{ measurand: 'Power.Active.Import' }, { value: 12.5 }] } }, { s: samples })).toEqual([]);
    expect(match({ s: { $all: [{ value: 12.5 }, { measurand: 'Voltage' }, { measurand: 'SoC' }] } }, { s: samples })).toEqual([
      { path: 's', expected: 'an array containing {"measurand":"Voltage"}', actual: expect.any(String) },
      { path: 's', expected: 'an array containing {"measurand":"SoC"}', actual: expect.any(String) },
    ]);
    expect(match({ s: { $all: [1] } }, { s: 'x' })).toEqual([{ path: 's', expected: 'an array containing each of 1', actual: '"x"' }]);
  });

  it('$exists checks presence both ways', () => {
    expect(match({ a: { $exists: true }, b: { $exists: false } }, { a: null })).toEqual([]);
    expect(match({ a: { $exists: false } }, { a: 1 })).toEqual([{ path: 'a', expected: 'absent', actual: '1' }]);
    expect(match({ a: { $exists: true } }, {})).toEqual([{ path: 'a', expected: 'present', actual: 'absent' }]);
  });

  it('fails absent keys for every operator but $exists: false, a permissive $anyOf and $not', () => {
    expect(match({ a: { $anyOf: [{ $exists: false }, 'x'] }, b: { $not: { $exists: true } }, c: { $not: 'Rejected' } }, {})).toEqual([]);
    expect(match({ a: { $ne: 'x' } }, {})).toEqual([{ path: 'a', expected: 'not "x"', actual: 'absent' }]);
    expect(match({ a: { $anyOf: ['x', 'y'] } }, {})).toEqual([{ path: 'a', expected: 'any of ("x" | "y")', actual: 'absent' }]);
    // One line per absent key, not one per operator.
    expect(match({ a: { $gte: 1, $lte: 5 } }, {})).toEqual([{ path: 'a', expected: '>= 1 and <= 5', actual: 'absent' }]);
  });

  it('$default takes the default or an absent key (an optional field whose absence means its default), nothing else', () => {
    const pattern = { setVariableResult: [{ attributeType: { $default: 'Actual' }, attributeStatus: 'Accepted' }] };
    expect(match(pattern, { setVariableResult: [{ attributeStatus: 'Accepted' }] })).toEqual([]);
    expect(match(pattern, { setVariableResult: [{ attributeStatus: 'Accepted', attributeType: 'Actual' }] })).toEqual([]);
    expect(match(pattern, { setVariableResult: [{ attributeStatus: 'Accepted', attributeType: 'Target' }] }))
      .toEqual([{ path: 'setVariableResult.0.attributeType', expected: '"Actual" (or absent, its default)', actual: '"Target"' }]);
    // Inside $not it still reads absence as the default: an absent context is Sample.Periodic, not "something else".
    const onlyPeriodic = { sampledValue: { $not: { $contains: { context: { $not: { $default: 'Sample.Periodic' } } } } } };
    expect(match(onlyPeriodic, { sampledValue: [{ value: 1 }, { value: 2, context: 'Sample.Periodic' }] })).toEqual([]);
    expect(match(onlyPeriodic, { sampledValue: [{ value: 1 }, { value: 2, context: 'Sample.Clock' }] })).toHaveLength(1);
    expect(checkPattern({ a: { $default: { x: 1 } } })).toEqual(['"$default" at a needs the default value (a string, number or boolean), got {"x":1}']);
  });

  it('$hashDataOf recognises the hash data of a certificate in the algorithm they state', () => {
    const pki = new TestPki();
    const root = pki.certificate('csmsRoot2').certificatePem;
    const chain = [
      { certificateType: 'CSMSRootCertificate', certificateHashData: pki.hashData('csmsRoot') },
      { certificateType: 'CSMSRootCertificate', certificateHashData: certificateHashData(root, root, 'SHA384') },
    ];
    expect(match({ chain: { $contains: { certificateHashData: { $hashDataOf: root } } } }, { chain })).toEqual([]);
    expect(match({ chain: { $not: { $contains: { certificateHashData: { $hashDataOf: root } } } } }, { chain: chain.slice(0, 1) })).toEqual([]);
    const label = `"ocpp-harness CSMS Root 2" (serial ${pki.hashData('csmsRoot2').serialNumber})`;
    expect(match({ hashData: { $hashDataOf: root } }, { hashData: pki.hashData('csmsRoot') })).toEqual([
      { path: 'hashData', expected: `the hash data of ${label}`, actual: expect.any(String) },
    ]);
    expect(match({ hashData: { $hashDataOf: root } }, { hashData: 'SHA256' })).toHaveLength(1);
    expect(checkPattern({ a: { $hashDataOf: '{{pki.csmsRoot2.pem}}' }, b: { $hashDataOf: root } })).toEqual([]);
    expect(checkPattern({ a: { $hashDataOf: 'not a certificate' } })).toEqual(['"$hashDataOf" at a needs a PEM certificate, got "not a certificate"']);
  });

  it('$csr checks a CSR (signature, key, CN and O) and $answersCsr a certificate for it (A02.FR.03/08, A00.FR.509/511)', () => {
    const { csrPem } = createCsr({ commonName: 'CS001', organization: 'Lab Operator' });
    expect(match({ csr: { $csr: { commonName: 'CS001', organization: 'Lab Operator' } } }, { csr: csrPem })).toEqual([]);
    expect(match({ csr: { $csr: {} } }, { csr: csrPem })).toEqual([]);
    const [wrongName] = match({ csr: { $csr: { commonName: 'CS002' } } }, { csr: csrPem });
    expect(wrongName).toMatchObject({ path: 'csr', expected: 'a valid CSR with CN "CS002"' });
    expect(wrongName?.actual).toMatch(/^subject CN is "CS001", not the station's identity "CS002" \(A00\.FR\.511\)/);
    expect(match({ csr: { $csr: {} } }, { csr: 'hello' })[0]?.actual).toMatch(/not a PEM encoded PKCS#10 .*\(A02\.FR\.03\)/);
    expect(checkPattern({ a: { $csr: { commonName: '{{config.stationId}}' } }, b: { $csr: {} } })).toEqual([]);
    expect(checkPattern({ a: { $csr: { cn: 'CS001' } } })[0]).toMatch(/"\$csr" at a needs an object of commonName and organization/);

    const root = new TestPki().certificate('csmsRoot');
    expect(match({ certificateChain: { $answersCsr: csrPem } }, { certificateChain: certificateForCsr(csrPem, root) })).toEqual([]);
    const [otherKey] = match({ certificateChain: { $answersCsr: csrPem } }, { certificateChain: certificateForCsr(csrPem, root, 'otherKey') });
    expect(otherKey).toMatchObject({ path: 'certificateChain', expected: 'a certificate for the CSR sent' });
    expect(otherKey?.actual).toMatch(/^the certificate is for another key than the CSR's/);
    expect(match({ certificateChain: { $answersCsr: csrPem } }, { certificateChain: certificateForCsr(csrPem, root, 'otherCommonName') })[0]?.actual).toMatch(/CN is "CS001-OTHER"/);
    expect(checkPattern({ a: { $answersCsr: 'x' } })[0]).toMatch(/needs a PEM CSR/);
  });

  it('applies operators at the root and inside array elements', () => {
    expect(match({ $type: 'object' }, boot)).toEqual([]);
    expect(match([{ $gt: 1 }, 2], [1, 3])).toEqual([
      { path: '0', expected: '> 1', actual: '1' },
      { path: '1', expected: '2', actual: '3' },
    ]);
  });

  it('throws a PatternError on an unknown operator or a bad operand', () => {
    expect(() => match({ idToken: { $regexp: 'x' } }, { idToken: 'x' })).toThrow(PatternError);
    expect(() => match({ idToken: { $regexp: 'x' } }, { idToken: 'x' })).toThrow(/unknown operator "\$regexp" at idToken; known: \$eq, \$ne/);
    expect(() => match({ n: { $gte: '{{config.min}}' } }, { n: 1 })).toThrow(/"\$gte" at n needs a number/);
    const thrown = (() => {
      try {
        return match({ $in: 'x' }, 'x');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ name: 'PatternError', code: 'OH_PATTERN_INVALID' });
  });
});

describe('checkPattern', () => {
  it('accepts valid patterns, including operands that are still templates', () => {
    expect(checkPattern({ idToken: { idToken: '{{config.idTokens.valid.idToken}}' }, timestamp: { $timeNear: '{{now}}' }, n: { $gte: '{{config.min}}' } })).toEqual([]);
    expect(checkPattern([{ a: { $contains: { b: { $in: [1, 2] } } } }])).toEqual([]);
  });

  it('lists every problem with its path, walking into nested patterns', () => {
    expect(checkPattern({ idToken: { $regexp: 'x' } }, 'match')).toEqual([
      expect.stringMatching(/^unknown operator "\$regexp" at match\.idToken; known: \$eq, \$ne, \$in, \$regex, .*\$type, \$flags, \$toleranceMs$/),
    ]);
    expect(checkPattern({
      a: { $in: 'Accepted' }, b: [{ $regex: '(' }], c: { $not: { $bogus: 1 } }, d: { $anyOf: [] }, e: { $timeNear: 'soon' },
      f: { $type: 'date' }, g: { $flags: 'i' }, h: { $exists: 'yes' }, i: { $regex: 'x', $flags: 'q' }, j: { $all: [{ $nope: 1 }] },
    })).toEqual([
      '"$in" at a needs an array of values, got "Accepted"',
      expect.stringMatching(/^"\$regex" at b\.0 is not a valid regular expression/),
      expect.stringMatching(/^unknown operator "\$bogus" at c;/),
      '"$anyOf" at d needs a non-empty array of patterns, got []',
      '"$timeNear" at e needs an ISO 8601 date-time, got "soon"',
      expect.stringMatching(/^"\$type" at f needs one of string, number, integer/),
      '"$flags" at g only goes with "$regex"',
      '"$exists" at h needs true or false, got "yes"',
      '"$flags" at i needs regular expression flags such as "i", got "q"',
      expect.stringMatching(/^unknown operator "\$nope" at j;/),
    ]);
  });

  it('rejects objects that mix operators and field names', () => {
    expect(checkPattern({ a: { $exists: true, b: 1 } })).toEqual([expect.stringMatching(/^object at a mixes operators \(\$exists\) with field names/)]);
    expect(() => match({ a: { $exists: true, b: 1 } }, { a: {} })).toThrow(PatternError);
  });
});

describe('describePattern', () => {
  it('describes a whole pattern on one line', () => {
    expect(describePattern({ reason: 'PowerUp', chargingStation: { vendorName: { $exists: true } } })).toBe('{"reason":"PowerUp","chargingStation":{"vendorName":present}}');
    expect(describePattern([1, { $regex: '^CS' }])).toBe('[1,a value matching /^CS/]');
    expect(describePattern({ t: { $timeNear: '2026-11-21T10:00:00Z' } })).toBe('{"t":a time near 2026-11-21T10:00:00.000Z}');
    expect(describePattern({ t: { $timeNear: '2026-11-21T10:00:00Z' } }, options)).toBe('{"t":a time within 4000 ms of 2026-11-21T10:00:00.000Z}');
    expect(describePattern({ $all: [1, 2], $length: 2 })).toBe('an array containing each of 1, 2 and length 2');
  });

  it('never throws, even on an invalid pattern', () => {
    expect(describePattern({ a: { $regexp: 'x' } })).toBe('{"a":$regexp "x"}');
  });
});

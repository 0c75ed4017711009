import { describe, expect, it } from 'vitest';
import { TEMPLATE_ROOTS, TemplateError, renderText, renderValue, templateVariables, type TemplateContext } from './template.js';

const NOW = '2026-11-21T10:00:00.000Z';

function contextWith(overrides: Partial<TemplateContext> = {}): TemplateContext {
  return {
    config: { heartbeatIntervalS: 300, idTokens: { valid: { idToken: 'TOKEN-1', type: 'ISO14443' } }, evse: { connectors: [1, 2] } },
    captured: { transactionId: 'tx-42', meter: '12.5', startedAt: '2026-11-21T09:00:00Z' },
    clock: () => new Date(NOW),
    ...overrides,
  };
}

const render = (value: unknown, overrides?: Partial<TemplateContext>): unknown => renderValue(value, contextWith(overrides));

function errorOf(action: () => unknown): TemplateError {
  try {
    action();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('renderValue: raw values and text', () => {
  it('counts an array\'s elements with .length (a case needs an EVSE id beyond the configured ones)', () => {
    expect(render('{{config.evse.connectors.length}}')).toBe(2);
    expect(render('{{add config.evse.connectors.length 1}}')).toBe(3);
    expect(errorOf(() => render('{{config.heartbeatIntervalS.length}}')).message).toContain('config.heartbeatIntervalS.length');
  });

  it('gives the raw value of a string that is exactly one expression', () => {
    expect(render('{{config.heartbeatIntervalS}}')).toBe(300);
    expect(render('{{ captured.transactionId }}')).toBe('tx-42');
    expect(render('{{config.idTokens.valid}}')).toEqual({ idToken: 'TOKEN-1', type: 'ISO14443' });
    expect(render('{{config.evse.connectors.[1]}}')).toBe(2);
    expect(render('{{{config.heartbeatIntervalS}}}')).toBe(300);
  });

  it('renders any other string to text, without HTML escaping', () => {
    expect(render('every {{config.heartbeatIntervalS}} s')).toBe('every 300 s');
    expect(render(' {{config.heartbeatIntervalS}}')).toBe(' 300');
    expect(render('{{config.heartbeatIntervalS}}{{captured.transactionId}}')).toBe('300tx-42');
    expect(render('<{{captured.transactionId}}&>')).toBe('<tx-42&>');
    expect(render('no template')).toBe('no template');
  });

  it('renders deeply into new objects and arrays, leaving the input and non-strings untouched', () => {
    const input = { interval: '{{config.heartbeatIntervalS}}', idToken: { idToken: '{{config.idTokens.valid.idToken}}', type: 'Central' }, list: ['{{now}}', 1, null, true] };
    const snapshot = structuredClone(input);
    const output = render(input);
    expect(output).toEqual({ interval: 300, idToken: { idToken: 'TOKEN-1', type: 'Central' }, list: [NOW, 1, null, true] });
    expect(input).toEqual(snapshot);
  });

  it('copies raw objects, so that changing the payload never changes the context', () => {
    const context = contextWith();
    const token = renderValue('{{config.idTokens.valid}}', context) as Record<string, unknown>;
    token.idToken = 'changed';
    expect((context.config.idTokens as { valid: { idToken: string } }).valid.idToken).toBe('TOKEN-1');
  });

  it('reads params, item and @root', () => {
    expect(render('{{params.evseId}}', { params: { evseId: 1 } })).toBe(1);
    expect(render('{{item.key}}={{item.value}}', { item: { key: 'a', value: 'b' } })).toBe('a=b');
    expect(render('{{@root.captured.transactionId}}')).toBe('tx-42');
  });

  it('supports block helpers in text templates', () => {
    expect(render('{{#each config.evse.connectors}}[{{this}}:{{../captured.transactionId}}]{{/each}}')).toBe('[1:tx-42][2:tx-42]');
    expect(render('{{#if captured.missing}}yes{{else}}no{{/if}}')).toBe('no');
  });
});

describe('renderValue: helpers', () => {
  it('gives now from the injected clock, read once per call', () => {
    let ticks = 0;
    const clock = () => new Date(Date.parse(NOW) + 1000 * ticks++);
    expect(render({ a: '{{now}}', b: 'at {{now}}' }, { clock })).toEqual({ a: NOW, b: `at ${NOW}` });
    expect(ticks).toBe(1);
  });

  it('adds seconds to ISO times', () => {
    expect(render('{{addSeconds now 60}}')).toBe('2026-11-21T10:01:00.000Z');
    expect(render('{{addSeconds captured.startedAt -5}}')).toBe('2026-11-21T08:59:55.000Z');
    expect(render('until {{addSeconds now config.heartbeatIntervalS}}')).toBe('until 2026-11-21T10:05:00.000Z');
  });

  it('adds numbers, raw as a number and numeric strings included', () => {
    expect(render('{{add config.heartbeatIntervalS 1}}')).toBe(301);
    expect(render('{{add captured.meter 0.5}}')).toBe(13);
    expect(render('{{add (add 1 2) 3}}')).toBe(6);
    expect(render('n={{add 1 2}}')).toBe('n=3');
  });

  it('writes JSON and makes UUIDs', () => {
    expect(render('{{json config.idTokens.valid}}')).toBe('{"idToken":"TOKEN-1","type":"ISO14443"}');
    // Three closing braces in a row would read as a triple-stash, hence the space.
    expect(render('{"token":{{json config.idTokens.valid.idToken}} }')).toBe('{"token":"TOKEN-1" }');
    expect(render('{{uuid}}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render('id-{{uuid}}')).toMatch(/^id-[0-9a-f-]{36}$/);
  });

  it('turns wrong helper arguments into TemplateErrors', () => {
    expect(errorOf(() => render('{{addSeconds "soon" 5}}')).message).toBe('template "{{addSeconds "soon" 5}}": addSeconds needs an ISO 8601 time, got "soon"');
    expect(errorOf(() => render('x {{add 1 "a"}}')).message).toBe('template "x {{add 1 "a"}}": add needs numbers, got "a"');
    expect(errorOf(() => render('{{nope 1}}')).message).toBe('template "{{nope 1}}": unknown helper "nope" (helpers: optional, addSeconds, add, multiply, json, string, eq, choose, uuid, lookup, lowerCamel, kebab, nextUnique, signCsr)');
    expect(errorOf(() => render('{{signCsr "x" config.heartbeatIntervalS}}')).message).toMatch(/signCsr signs with a certificate of the test PKI, e.g. pki.csmsRoot/);
  });
});

describe('renderValue: strict variables', () => {
  it('throws on an undefined capture, listing what was captured', () => {
    const error = errorOf(() => render('{{captured.txId}}'));
    expect(error.code).toBe('OH_TEMPLATE_INVALID');
    expect(error.message).toBe('template "{{captured.txId}}": "captured.txId" is not defined (captured so far: transactionId, meter, startedAt)');
    expect(errorOf(() => render('{{captured.txId}}', { captured: {} })).message).toMatch(/\(captured so far: nothing\)$/);
  });

  it('throws in text templates and helper arguments too, naming the deepest existing part', () => {
    expect(errorOf(() => render('id {{config.idTokens.invalid.idToken}}')).message)
      .toBe('template "id {{config.idTokens.invalid.idToken}}": "config.idTokens.invalid.idToken" is not defined (config.idTokens has: valid)');
    expect(errorOf(() => render('{{add config.missing 1}}')).message).toMatch(/"config.missing" is not defined \(config has: heartbeatIntervalS, idTokens, evse\)$/);
    expect(errorOf(() => render('t={{addSeconds captured.nothing 1}}')).message).toMatch(/"captured.nothing" is not defined/);
    expect(errorOf(() => render('{{config.heartbeatIntervalS.x}}')).message).toMatch(/\(config.heartbeatIntervalS is 300, not an object\)$/);
  });

  it('throws on a missing root or an unknown variable', () => {
    expect(errorOf(() => render('{{params.evseId}}')).message).toMatch(/"params.evseId" is not defined \(no params in this context\)$/);
    expect(errorOf(() => render('{{conf.x}}')).message).toMatch(/"conf.x" is not defined \(variables start with config, captured, params, item, files, pki, csms, target, unique, secret, csr, now\)$/);
    expect(errorOf(() => render('{{#each config.idTokens}}{{missing}}{{/each}}')).message).toBe('template "{{#each config.idTokens}}{{missing}}{{/each}}": "missing" is not defined');
  });

  it('throws on bad syntax, hinting at array index syntax', () => {
    expect(errorOf(() => render('{{ config.x ')).message).toMatch(/^template "\{\{ config.x ": Parse error on line 1:/);
    expect(errorOf(() => render('{{config.evse.connectors.0}}')).message).toMatch(/\(array indices are written \.\[0\]\)$/);
  });
});

describe('templateVariables', () => {
  it('lists every variable in nested values, once, in order of first use', () => {
    const value = {
      idToken: { idToken: '{{config.idTokens.valid.idToken}}', type: 'Central' },
      transactionId: '{{captured.transactionId}}',
      list: [{ at: '{{now}}' }, 'again {{captured.transactionId}}', 5],
    };
    expect(templateVariables(value)).toEqual(['config.idTokens.valid.idToken', 'captured.transactionId', 'now']);
    expect(templateVariables('no templates')).toEqual([]);
  });

  it('leaves helper names out and keeps their arguments', () => {
    expect(templateVariables('{{addSeconds now config.offsetS}} {{uuid}} {{json (add captured.a params.b)}}')).toEqual(['now', 'config.offsetS', 'captured.a', 'params.b']);
  });

  it('reports unknown roots and unknown helpers so that the checker can flag them', () => {
    const variables = templateVariables(['{{conf.x}}', '{{frobnicate captured.a}}']);
    expect(variables).toEqual(['conf.x', 'frobnicate', 'captured.a']);
    expect(variables.filter((name) => !(TEMPLATE_ROOTS as readonly string[]).includes(name.split('.')[0] ?? ''))).toEqual(['conf.x', 'frobnicate']);
  });

  it('skips paths relative to a block context, keeping those that reach the root', () => {
    const source = '{{#each config.list as |entry|}}{{entry.a}}{{this.b}}{{@index}}{{../captured.c}}{{@root.item.d}}{{else}}{{params.e}}{{/each}}{{#if captured.f}}{{item.g}}{{/if}}';
    expect(templateVariables(source)).toEqual(['config.list', 'captured.c', 'item.d', 'params.e', 'captured.f', 'item.g']);
  });

  it('throws a TemplateError on bad syntax', () => {
    expect(() => templateVariables({ a: ['{{#if x}}'] })).toThrow(TemplateError);
  });
});

describe('optional fields', () => {
  const context = { config: {}, captured: {}, params: { evse: null, id: 3 }, clock: () => new Date('2026-11-21T10:00:00Z') };

  it('leaves a field out when {{optional x}} meets null, and keeps it otherwise', () => {
    expect(renderValue({ operationalStatus: 'Inoperative', evse: '{{optional params.evse}}', id: '{{optional params.id}}' }, context)).toEqual({ operationalStatus: 'Inoperative', id: 3 });
    expect(renderValue({ list: ['{{optional params.evse}}', 'kept'] }, context)).toEqual({ list: ['kept'] });
    expect(renderValue('id {{optional params.evse}}!', context)).toBe('id !');
  });
});

describe('absent values', () => {
  const context = contextWith({ params: { evseId: 1 } });

  it('takes a missing variable in #if or #unless as false, however deep, with no error', () => {
    expect(renderValue('{{#if params.transactionId}}stop {{params.transactionId}}{{else}}stop all{{/if}}', context)).toBe('stop all');
    expect(renderValue('{{#if config.tables.route.Reset}}x{{else}}none{{/if}}', context)).toBe('none');
    expect(renderValue('{{#unless captured.a.b.c}}unset{{/unless}}', context)).toBe('unset');
    expect(render('{{#if params.evseId}}evse{{/if}}')).toBe('');
  });

  it('checks a variable inside #if only when that part renders, with the same message', () => {
    expect(renderValue('{{#if params.evseId}}evse {{params.evseId}} {{add params.evseId 1}}{{/if}}', context)).toBe('evse 1 2');
    expect(errorOf(() => renderValue('{{#if params.evseId}}{{params.evse}}{{/if}}', context)).message)
      .toBe('template "{{#if params.evseId}}{{params.evse}}{{/if}}": "params.evse" is not defined (params has: evseId)');
  });

  it('leaves out an {{optional x}} whose variable is missing, in payloads and in text', () => {
    expect(renderValue({ evseId: '{{params.evseId}}', transactionId: '{{optional params.transactionId}}' }, context)).toEqual({ evseId: 1 });
    expect(renderValue('{{optional params.transactionId}}', context)).toBeUndefined();
    expect(renderText('stop {{optional params.transactionId}}', context)).toBe('stop ');
  });

  it('still refuses a misspelt root in a presence test, and a missing variable elsewhere', () => {
    expect(errorOf(() => renderValue('{{#if parms.x}}y{{/if}}', context)).message).toMatch(/"parms.x" is not defined \(variables start with config,/);
    expect(errorOf(() => renderValue('{{optional parms.x}}', context)).message).toMatch(/"parms.x" is not defined \(variables start with config,/);
    expect(errorOf(() => renderValue('{{#if (eq params.x 1)}}y{{/if}}', context)).message).toMatch(/"params.x" is not defined \(params has: evseId\)$/);
  });
});

describe('text', () => {
  it('renders objects and arrays into text as JSON, null and omitted values as nothing', () => {
    expect(render('token={{config.idTokens.valid}}')).toBe('token={"idToken":"TOKEN-1","type":"ISO14443"}');
    expect(render('{{#each config.idTokens}}{{this}}{{/each}}')).toBe('{"idToken":"TOKEN-1","type":"ISO14443"}');
    expect(render('ids {{config.evse.connectors}}')).toBe('ids [1,2]');
    expect(render('a{{params.none}}b', { params: { none: null } })).toBe('ab');
  });

  it('renderText gives text for a template that is one expression', () => {
    const context = contextWith({ params: { payload: { type: 'OnIdle' }, none: null } });
    expect(renderText('{{params.payload}}', context)).toBe('{"type":"OnIdle"}');
    expect(renderText('{{config.heartbeatIntervalS}}', context)).toBe('300');
    expect(renderText('{{params.none}}', context)).toBe('');
    expect(renderText('{{optional params.missing}}', context)).toBe('');
  });
});

describe('tables and case helpers', () => {
  const context = contextWith({
    config: { tables: { route: { RequestStartTransaction: 'remote-start', Reset: 'reset' } } },
    params: { action: 'Reset' },
  });

  it('looks an entry up in a table, raw and in text', () => {
    expect(renderValue('{{lookup config.tables.route params.action}}', context)).toBe('reset');
    expect(renderValue('/api/{{lookup config.tables.route "RequestStartTransaction"}}/{{params.action}}', context)).toBe('/api/remote-start/Reset');
    expect(renderValue('{{lookup config.tables.route (string 7)}}', contextWith({ config: { tables: { route: { 7: 'seven' } } } }))).toBe('seven');
  });

  it('refuses a missing key, naming it and the keys the table has', () => {
    expect(errorOf(() => renderValue('/api/{{lookup config.tables.route "ClearCache"}}', context)).message)
      .toBe('template "/api/{{lookup config.tables.route "ClearCache"}}": lookup: the table has no entry "ClearCache" (it has: RequestStartTransaction, Reset)');
    expect(errorOf(() => renderValue('{{lookup config.tables.route "toString"}}', context)).message).toMatch(/no entry "toString"/);
    expect(errorOf(() => renderValue('{{lookup config.tables.missing "Reset"}}', context)).message).toMatch(/"config.tables.missing" is not defined \(config.tables has: route\)$/);
  });

  it('converts names to lowerCamel and kebab case', () => {
    expect(renderValue('{{lowerCamel "RequestStartTransaction"}}', context)).toBe('requestStartTransaction');
    expect(renderValue('{{kebab "RequestStartTransaction"}}', context)).toBe('request-start-transaction');
    expect(renderValue('{{kebab "Get15118EVCertificate"}} {{lowerCamel "Get15118EVCertificate"}} {{lowerCamel "EVSE"}}', context)).toBe('get15118-ev-certificate get15118EVCertificate evse');
    expect(renderValue('/{{kebab (lookup config.tables.route params.action)}}', context)).toBe('/reset');
    expect(errorOf(() => renderValue('{{kebab 5}}', context)).message).toMatch(/kebab needs a string, got 5$/);
  });
});

describe('run-unique values: nextUnique and unique.<name>', () => {
  it('nextUnique gives a larger integer of its series on every use, also within one payload', () => {
    const first = render('{{nextUnique "eventId"}}') as number;
    const payload = render({ eventData: [{ eventId: '{{nextUnique "eventId"}}' }, { eventId: '{{nextUnique "eventId"}}' }] }) as { eventData: Array<{ eventId: number }> };
    const [second, third] = payload.eventData.map((event) => event.eventId);
    expect(Number.isInteger(first)).toBe(true);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second!);
    expect(render('TX-{{nextUnique "transaction"}}')).toMatch(/^TX-\d+$/);
    expect(errorOf(() => render('{{nextUnique ""}}')).message).toContain('nextUnique needs a name');
  });

  it('unique.<name> asks the context for exactly the names the value reads, and keeps their type', () => {
    const asked: string[] = [];
    const unique = (name: string) => (asked.push(name), name === 'transaction' ? 7 : 8);
    expect(render({ id: 'TX-{{unique.transaction}}', seq: '{{unique.other}}', time: '{{now}}' }, { unique })).toEqual({ id: 'TX-7', seq: 8, time: NOW });
    expect(asked).toEqual(['transaction', 'other']);
    expect(errorOf(() => render('{{unique.transaction}}')).message).toContain('"unique.transaction" is not defined');
  });

  it('secret.<name> asks the context for the names the value reads, as text', () => {
    const asked: string[] = [];
    const secret = (name: string) => (asked.push(name), `pw-of-${name}-0123456789`);
    expect(render({ attributeValue: '{{secret.password}}', other: 'x{{secret.key}}' }, { secret })).toEqual({ attributeValue: 'pw-of-password-0123456789', other: 'xpw-of-key-0123456789' });
    expect(asked).toEqual(['password', 'key']);
    expect(errorOf(() => render('{{secret.password}}')).message).toContain('"secret.password" is not defined');
  });

  it('csr.<name> asks the context for the CSR of each name the value reads', () => {
    const asked: string[] = [];
    const csr = (name: string) => (asked.push(name), `CSR of ${name}`);
    expect(render({ csr: '{{csr.station}}', again: '{{csr.station}}' }, { csr })).toEqual({ csr: 'CSR of station', again: 'CSR of station' });
    expect(asked).toEqual(['station']);
  });
});

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { FailureResult, PassResult, RunResult } from '../runner/index.js';
import { renderJUnit } from './junit.js';
import { LEAKED_CREDENTIAL, writeSyntheticRun } from './synthetic-run.test-support.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

const XSD = new URL('../../fixtures/junit/junit-surefire.xsd', import.meta.url).pathname;

/** Validates XML against the surefire XSD with libxml2 compiled to WebAssembly (xmllint-wasm): no system xmllint needed. */
async function validateAgainstXsd(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit-surefire.xsd', contents: readFileSync(XSD, 'utf8') }] });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}

function nastyRun(): RunResult {
  const run = writeSyntheticRun(mkdtempSync(join(tmpdir(), 'ocpp-harness-junit-')), { cases: 10, frames: 4, modules: ['core', 'security'] });
  const failing = run.cases.find((c) => c.verdict === 'fail')! as FailureResult;
  failing.reason = 'payload had \u0001\u0007 control, a lone \ud800 surrogate, ]]> and "quotes" <tags> & \'apostrophes\' \u{1F50C}';
  failing.failure.actual = 'CALLERROR "FormatViolation" <bad>\u001b[31m escape';
  (run.cases[3] as FailureResult).failure = { ...failing.failure, actual: `Authorization: Basic ${LEAKED_CREDENTIAL}` };
  (run.cases[2] as PassResult).relayed = true;
  return run;
}

describe('JUnit XML', () => {
  it('validates against the surefire XSD, with control characters, markup and odd Unicode in the text', async () => {
    expect(existsSync(XSD)).toBe(true);
    expect(await validateAgainstXsd(renderJUnit(nastyRun()))).toEqual({ valid: true, errors: [] });
  });

  it('the validation can fail: a testcase without its name breaks the XSD', async () => {
    const broken = renderJUnit(nastyRun()).replace(/<testcase classname="([^"]*)" name="[^"]*"/, '<testcase classname="$1"');
    const { valid, errors } = await validateAgainstXsd(broken);
    expect(valid).toBe(false);
    expect(errors.join('\n')).toContain('name');
  });

  it('maps modules to suites, verdicts to failure, error and skipped, and points at the trace', () => {
    const run = nastyRun();
    const xml = renderJUnit(run);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toMatch(/<testsuite name="ocpp2\.0\.1\.cs\.core" tests="5" failures="0" errors="0" skipped="0" time="6\.190" timestamp="2026-03-02T08:00:00\.000">/);
    expect(xml).toMatch(/<testsuite name="ocpp2\.0\.1\.cs\.security" tests="5" failures="1" errors="1" skipped="3" time="3\.711" timestamp="2026-03-02T08:00:02\.000">/);
    expect(xml).toContain('<testcase classname="ocpp2.0.1.cs.core" name="TC_S_001_CS: Synthetic case 1 &lt;with&gt; &quot;markup&quot; &amp; more" time="1.234"');
    const failure = /<failure message="([^"]*)" type="fail">([^<]*)<\/failure>/.exec(xml)!;
    expect(failure[1]).toContain('\\u0001\\u0007 control, a lone \\ud800 surrogate, ]]&gt; and &quot;quotes&quot; &lt;tags&gt; &amp; \'apostrophes\' \u{1F50C}');
    expect(failure[2]!.split('\n')).toEqual([
      'Step 2: expect StatusNotification',
      'Requirement G01.FR.01: the station reports a connector status change',
      'Expected: StatusNotification with connectorStatus Occupied',
      'Expected: TransactionEvent Started',
      'Actual:   CALLERROR "FormatViolation" &lt;bad&gt;\\u001b[31m escape',
      'Trace:    traces/TC_S_002_CS.jsonl',
    ]);
    expect(xml).toMatch(/<error message="error reason of TC_S_004_CS" type="error">Step 2: expect StatusNotification\nRequirement G01\.FR\.01: /);
    expect(xml).toContain('<skipped message="inconclusive: inconclusive reason of TC_S_006_CS"/>');
    expect(xml).toContain('<skipped message="not-applicable: not-applicable reason of TC_S_008_CS"/>');
    expect(xml).toContain('<skipped message="skipped: skipped reason of TC_S_010_CS"/>');
    expect(xml).toContain('<system-out>trace: traces/TC_S_001_CS.jsonl\nstation: CS001</system-out>');
    // A relayed pass stays a pass; only its output says what it showed.
    expect(xml).toMatch(/<testcase classname="ocpp2\.0\.1\.cs\.core" name="TC_S_003_CS[^"]*" time="[\d.]+">\n {6}<system-out>trace: traces\/TC_S_003_CS\.jsonl\nstation: CS001\nrelayed: every value this pass checked was passed on to the SUT by the device-action adapter<\/system-out>\n {4}<\/testcase>/);
    expect(xml).toContain('<property name="sut.model" value="DC-50"/>');
    expect(xml).not.toContain(LEAKED_CREDENTIAL);
    expect(xml).toContain('Actual:   Authorization: Basic &lt;redacted&gt;\nTrace:');
    expect(xml).toMatch(/^<testsuites name="ocpp-harness ocpp2\.0\.1 sut cs" tests="10" failures="1" errors="1" time="20\.000">$/m);
  });

  it('escapes for text and attributes', () => {
    expect(escapeXmlText('a<b>&c\u0000\uFFFF\tok\n')).toBe('a&lt;b&gt;&amp;c\\u0000\\uffff\tok\n');
    expect(escapeXmlAttribute('"x"\ny\tz\r')).toBe('&quot;x&quot;&#10;y&#9;z&#13;');
    expect(escapeXmlText('\ud83d\udd0c \udc00')).toBe('\ud83d\udd0c \\udc00');
  });
});

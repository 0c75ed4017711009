// The JSON Schema of results.json. additionalProperties is false everywhere so that a field the
// runner adds without a description here fails the schema test instead of going undocumented.

const isoTime = (what: string) => ({ type: 'string', format: 'date-time', description: `${what}, ISO 8601 (UTC).` });

const verdict = {
  enum: ['pass', 'fail', 'error', 'inconclusive', 'not-applicable', 'skipped'],
  description: 'pass; fail (the SUT did something else); error (the harness or its environment); inconclusive (an operator aborted, an adapter cannot act); not-applicable (a feature the case needs is not declared); skipped (not run, e.g. after an interruption).',
};

const finding = {
  type: 'object',
  description: 'A protocol finding about a frame the SUT sent, with the rule it concerns.',
  additionalProperties: false,
  required: ['code', 'severity', 'message', 'rule'],
  properties: {
    code: { type: 'string', description: 'Finding code, e.g. schema-violation; docs/findings.md lists them.' },
    severity: { enum: ['violation', 'warning', 'info'], description: 'violation breaks a MUST; warning a SHOULD; info is a remark.' },
    message: { type: 'string', description: 'One line: what happened, with the values involved.' },
    rule: { type: 'string', description: 'Where the rule is written, e.g. "OCPP-J 2.0.1 §4.1.1".' },
    messageId: { type: 'string', description: 'The OCPP message id the finding concerns, when there is one.' },
    count: { type: 'integer', minimum: 6, description: 'A grouped finding only: the first 5 findings of a code on one connection are listed in full, then this one stands for the rest; count is the total of that code on that connection, the 5 listed before included.' },
    firstAt: isoTime('A grouped finding only: when the first finding of its code on its connection was recorded'),
    lastAt: isoTime('A grouped finding only: when the last one was recorded'),
  },
};

// Issue 13 item 7: every check of a case, by where the value it checked came from.
const checkLines = (what: string) => ({ type: 'array', items: { type: 'string' }, description: `${what} A line per check: "<step index> <message> <payload path>", "(payload)" for the payload itself.` });

const checks = {
  type: 'object', additionalProperties: false, required: ['sut', 'harness', 'adapter'],
  description: 'The checks the case\'s steps made (each literal or operator of an expect step\'s or a send step\'s match pattern), by where the checked value came from. Absent when the case did not run.',
  properties: {
    sut: checkLines('Checks of values the SUT produced.'),
    harness: checkLines('Checks of values the harness had sent to the SUT in the case, in a CALL or an answer, before the checked message, under the same field name (the SUT sent them back, e.g. a remoteStartId, a 1.6 transactionId).'),
    adapter: checkLines('Checks of values a device action had passed on to the SUT through its adapter (see step.relay).'),
  },
};

const runFinding = {
  ...finding,
  description: 'A protocol finding on a frame the SUT sent between cases: no case\'s verdict holds it.',
  required: [...finding.required, 'stationId', 'trace'],
  properties: {
    ...finding.properties,
    stationId: { type: 'string', description: 'The station identity whose traffic it was.' },
    trace: { type: 'string', description: 'The trace with the frame (traces/_outside-cases-<station>.jsonl, or the file of the case it came during), relative to the output folder.' },
  },
};

const step = {
  type: 'object',
  description: 'What happened in one step of a case.',
  additionalProperties: false,
  required: ['index', 'kind', 'title', 'status', 'startedAt', 'durationMs', 'requirementIds', 'records'],
  properties: {
    index: { type: 'string', description: 'Position: "3"; "2.4" for the 4th step of a state used at step 2; "before.1" for preparations.' },
    kind: { type: 'string', description: 'Step kind: send, expect, action, wait, ...' },
    title: { type: 'string', description: 'What the step does, in words.' },
    status: { enum: ['pass', 'fail', 'error', 'inconclusive', 'skipped'], description: 'The outcome of the step.' },
    startedAt: isoTime('When the step started'),
    durationMs: { type: 'number', minimum: 0, description: 'How long the step took, in milliseconds.' },
    requirementIds: { type: 'array', items: { type: 'string' }, description: 'The requirement ids the step proves.' },
    detail: { type: 'string', description: 'What was observed, or why the step did not pass.' },
    records: {
      type: 'array', items: { type: 'integer', minimum: 0 }, uniqueItems: true,
      description: 'The trace records the step took part in, as 0-based positions in the case\'s trace file (its non-empty lines), ascending: each CALL it took from the SUT and the answer it got, each CALL it sent and the response (or the recorded timeout), the messages an assertion judged. Empty for steps that handle no message (wait, a state, a device action).',
    },
    relay: {
      type: 'object', additionalProperties: false, required: ['supplied', 'notSupplied'],
      description: 'Expect steps whose message a device action named (csmsSend): which values the step checked the adapter had passed on to the SUT. Paths are dotted payload paths; "" is the payload itself.',
      properties: {
        supplied: { type: 'array', items: { type: 'string' }, description: 'Checked paths whose value (for an absence check: the enclosing object) equals a value an earlier device action of the case that named the message passed on through its adapter, at the same payload path (params.payload) or as a key parameter of the field\'s name (evseId for evse.id) (an http adapter: the params its templates read; other adapters: all params).' },
        notSupplied: { type: 'array', items: { type: 'string' }, description: 'Checked paths whose value the SUT built itself. Empty: the step would pass against a SUT that only forwards what it was given.' },
      },
    },
  },
};

const failure = {
  type: 'object',
  description: 'Why a case failed, errored or was inconclusive: the step (or "protocol", "harness", "before" when no step decided it), the rule it proves, every acceptable outcome, and what happened instead.',
  additionalProperties: false,
  required: ['step', 'stepTitle', 'requirements', 'expected', 'actual'],
  properties: {
    step: { type: 'string', description: 'The index of the failing step; "protocol" for a protocol violation outside any step, "harness" for an invalid frame the harness sent, "before" when the case could not start.' },
    stepTitle: { type: 'string', description: 'The title of the failing step.' },
    requirements: {
      type: 'array', description: 'The requirements the failing step proves.',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'text'],
        properties: { id: { type: 'string', description: 'Requirement id, e.g. B01.FR.01.' }, text: { type: 'string', description: 'What the requirement says, paraphrased.' } },
      },
    },
    expected: { type: 'array', items: { type: 'string' }, description: 'Every acceptable outcome.' },
    actual: { type: 'string', description: 'What happened instead.' },
    table: { type: 'string', description: 'Expected and actual side by side, one row per line in aligned columns (a composite schedule, period by period); to be shown in a monospace font, lines kept.' },
  },
};

// The verdict decides the explanation: a pass has none, fail/error/inconclusive have a reason and
// a failure, not-applicable/skipped a reason only; `relayed` marks passes only.
const explanations = [
  { if: { properties: { verdict: { const: 'pass' } } }, then: { properties: { reason: false, failure: false } } },
  { if: { properties: { verdict: { enum: ['fail', 'error', 'inconclusive'] } } }, then: { required: ['reason', 'failure'], properties: { reason: true, failure: true, relayed: false } } },
  { if: { properties: { verdict: { enum: ['not-applicable', 'skipped'] } } }, then: { required: ['reason'], properties: { reason: true, failure: false, relayed: false } } },
];

const caseResult = {
  type: 'object',
  description: 'The result of one test case. Its verdict decides what explains it: nothing for pass; `reason` and `failure` for fail, error and inconclusive; `reason` for not-applicable and skipped.',
  additionalProperties: false,
  required: ['id', 'title', 'module', 'sut', 'ocpp', 'verdict', 'startedAt', 'durationMs', 'steps', 'findings'],
  allOf: explanations,
  properties: {
    id: { type: 'string', description: 'Test case id, e.g. TC_B_01_CS.' },
    title: { type: 'string', description: 'Test case title.' },
    module: { type: 'string', description: 'Certification module, e.g. core.' },
    sut: { enum: ['cs', 'csms'], description: 'What the case tests: a charging station (cs) or a CSMS (csms).' },
    ocpp: { enum: ['1.6', '2.0.1', '2.1'], description: 'OCPP version of the case.' },
    verdict,
    reason: { type: 'string', description: 'Why the verdict is not pass, in one line (every verdict but pass).' },
    failure,
    startedAt: isoTime('When the case started'),
    durationMs: { type: 'number', minimum: 0, description: 'How long the case took, in milliseconds (0 when it did not run).' },
    steps: { type: 'array', items: step, description: 'Every step that ran, in order, preparations first.' },
    findings: { type: 'array', items: finding, description: 'Every protocol finding on a frame the SUT sent during the case, in trace order, repeated ones grouped (see count): a violation among them fails the case (its reason names the first) unless the case lists its code in expectedFindings; warnings and info leave a pass a pass.' },
    recordsNotKept: { type: 'integer', minimum: 1, description: 'How many of the case\'s trace records came after the first 10,000, which are all a case keeps in memory: they are in the trace file and their findings count, but the case\'s steps did not read them (an assert step is then inconclusive).' },
    checks,
    trace: { type: 'string', description: 'The case\'s trace (open-ocpp-trace JSONL), relative to the output folder; absent when the case did not run.' },
    betweenCases: {
      type: 'object', additionalProperties: false, required: ['before', 'after'],
      description: 'One SUT for many cases (not with a fresh built-in reference per case): what the harness did to verify the SUT idle before the case and to undo the case after it.',
      properties: {
        before: { type: 'array', items: { type: 'string' }, description: 'A line per thing done before the case; what could not be done starts with "problem:".' },
        after: { type: 'array', items: { type: 'string' }, description: 'A line per thing done after the case (transactions stopped, cables unplugged, settings set back, ...); problems start with "problem:".' },
      },
    },
    stationId: { type: 'string', description: 'The station identity the case ran with (one per worker).' },
    relayed: { const: true, description: 'Only on a pass: every expect step matched a message a device action named, and every value it checked the adapter had passed on to the SUT. The pass shows that the SUT relayed the request, not that it built one.' },
  },
};

const counts = {
  type: 'object',
  description: 'Number of cases per verdict.',
  additionalProperties: false,
  required: verdict.enum,
  properties: Object.fromEntries(verdict.enum.map((name) => [name, { type: 'integer', minimum: 0, description: `Cases with verdict ${name}.` }])),
};

/** The JSON Schema (draft-07) of results.json: a RunResult, plus the fields the JSON reporter adds. */
export const RESULTS_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://ocpp-harness.invalid/schemas/results.schema.json',
  title: 'ocpp-harness results.json',
  description: 'A whole run: what ran against what, and each case\'s result. Written by the runner after every case; the JSON reporter adds harnessVersion and suiteVersion at the end of the run.',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'harness', 'ocpp', 'sut', 'target', 'configHash', 'startedAt', 'endedAt', 'durationMs', 'interrupted', 'counts', 'cases'],
  properties: {
    schemaVersion: { const: 1, description: 'Version of this file format; changes only on an incompatible change.' },
    harness: {
      type: 'object', additionalProperties: false, required: ['name', 'version'], description: 'The program that wrote the file.',
      properties: { name: { type: 'string', description: 'Always ocpp-harness.' }, version: { type: 'string', description: 'The harness package version.' } },
    },
    harnessVersion: { type: 'string', description: 'The harness package version (the same as harness.version), added by the JSON reporter for flat consumers.' },
    suiteVersion: { type: 'string', description: 'Version of the test-case suite: `git describe --tags --always --dirty` of the test-case folder when it is in a git work tree, else the harness package version. Added by the JSON reporter.' },
    ocpp: { enum: ['1.6', '2.0.1', '2.1'], description: 'OCPP version of the run.' },
    sut: { enum: ['cs', 'csms'], description: 'What was tested: a charging station (cs) or a CSMS (csms).' },
    target: { type: 'string', description: 'sut cs: the URL the harness\'s CSMS listened at; sut csms: the CSMS endpoint. A merge of shards lists each distinct one, comma-separated.' },
    sutIdentity: {
      type: 'object', additionalProperties: false, description: 'The SUT as it announced itself in a BootNotification (absent when none was seen).',
      properties: {
        vendor: { type: 'string', description: 'Vendor name.' }, model: { type: 'string', description: 'Model.' },
        firmwareVersion: { type: 'string', description: 'Firmware version.' }, serialNumber: { type: 'string', description: 'Serial number.' },
      },
    },
    configHash: { type: 'string', description: 'The first 16 hex digits of the SHA-256 of the resolved configuration: equal hashes mean equal configurations.' },
    startedAt: isoTime('When the run started'),
    endedAt: isoTime('When the run ended'),
    durationMs: { type: 'number', minimum: 0, description: 'endedAt - startedAt, in milliseconds.' },
    interrupted: { type: 'boolean', description: 'True when Ctrl-C or SIGTERM stopped the run; unfinished cases are then skipped.' },
    counts,
    cases: { type: 'array', items: caseResult, description: 'Every selected case, sorted by id (not-applicable and skipped ones too).' },
    findings: { type: 'array', items: runFinding, description: 'Protocol findings on frames that decide no case: sent between cases (traces/_outside-cases-*.jsonl), during the work before or after a case, or on a connection the harness had already closed or replaced; in order of arrival per station. Absent in files of older versions.' },
  },
} as const;

import { compareSchedules, compositeSchedule, connectorsOf, ProfileFormatError, reportedSchedule, scheduleTable, type EvseLayout, type RateUnit, type ScheduleTolerance } from '../../../domain/index.js';
import { isOcppVersion, type OcppVersion } from '../../../protocol/index.js';
import type { TraceRecord } from '../../../session/index.js';
import { errorStep, failStep, jsonText } from '../../step-stop.js';
import { assertSelectorSchema, selectorOf, type Assertion, type AssertionKind } from './assertion-kind.js';
import { ledgerBefore } from './charging-ledger.js';

/**
 * `compositeSchedule`: each selected GetCompositeSchedule CALL was answered with the composite
 * schedule the oracle computes (docs/smart-charging.md) from the profiles the station had accepted
 * and the transactions it had reported by then, within the tolerance.
 */
export interface CompositeScheduleAssertion extends Assertion {
  tolerance: ScheduleTolerance;
  evseIds?: number[];
}

const OWN = ['tolerance', 'evseIds'];

// The harness stamps the request when it sends it; the station its answer when it computes it.
const DEFAULT_SECONDS = 2;

export const compositeScheduleAssertion: AssertionKind<CompositeScheduleAssertion> = {
  name: 'compositeSchedule',
  schema: {
    ...assertSelectorSchema,
    description: 'The answers to these GetCompositeSchedule CALLs (action: GetCompositeSchedule, from: harness) match the composite schedule of the charging profiles the station accepted before each, period by period.',
    properties: {
      ...assertSelectorSchema.properties,
      tolerance: {
        type: 'object', additionalProperties: false,
        description: `What may differ: limit (in limitUnit, default 0.1 A, converted at the period's phases), seconds (scheduleStart and each boundary, default ${DEFAULT_SECONDS}), voltage for A/W conversion (default 230).`,
        properties: { limit: { type: 'number', minimum: 0 }, limitUnit: { enum: ['A', 'W'] }, seconds: { type: 'number', minimum: 0 }, voltage: { type: 'number', exclusiveMinimum: 0 } },
      },
      evseIds: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1, description: 'The EVSEs (1.6: connectors) the schedule of EVSE 0 sums over; default: the configured ones (evses).' },
    },
  },
  normalise: (raw, since) => {
    const tolerance = (raw['tolerance'] ?? {}) as ScheduleTolerance;
    const assertion: CompositeScheduleAssertion = { type: 'compositeSchedule', selector: selectorOf(raw, OWN), tolerance: { seconds: DEFAULT_SECONDS, ...tolerance }, ...since };
    if (Array.isArray(raw['evseIds'])) assertion.evseIds = raw['evseIds'] as number[];
    return assertion;
  },
  enough: (_assertion, count) => count >= 1,
  judge: (assertion, messages, what, since, records, layout) => {
    if (messages.length === 0) throw failStep(`a ${what}${since}`, 'none');
    const judged = messages.map((call) => judgeOne(assertion, call, records, layout));
    return `${messages.length} × ${what} answered with the expected composite schedule (${judged.join('; ')})`;
  },
};

function judgeOne(assertion: CompositeScheduleAssertion, call: TraceRecord, records: readonly TraceRecord[], layout: readonly EvseLayout[]): string {
  const version = call.ocppVersion;
  if (call.action !== 'GetCompositeSchedule' || !isOcppVersion(version)) throw errorStep('GetCompositeSchedule CALLs of a known OCPP version to judge', `${call.action} (${String(version)})`);
  const answer = records.find((record) => record.messageType !== 'CALL' && record.messageId === call.messageId && record.direction !== call.direction);
  const expectedAnswer = `an answer to GetCompositeSchedule ${call.messageId}`;
  if (!answer || answer.messageType !== 'CALLRESULT') throw failStep(expectedAnswer, answer ? `${answer.messageType} ${jsonText(answer.error ?? answer.payload)}` : 'none');
  const expected = expectedComposite(assertion, call, records, version, layout);
  let actual;
  try {
    actual = reportedSchedule(version, answer.payload);
  } catch (error) {
    if (!(error instanceof ProfileFormatError)) throw error;
    throw failStep(`${expectedAnswer} with a composite schedule`, `${error.message}: ${jsonText(answer.payload)}`);
  }
  const comparison = compareSchedules(expected, actual, assertion.tolerance);
  const notes = expected.notes.length === 0 ? '' : ` (left out: ${expected.notes.join('; ')})`;
  if (!comparison.matches) {
    throw failStep(`the composite schedule of the profiles the station accepted${notes}, within ${toleranceText(assertion.tolerance)}`, comparison.differences.join('; '), scheduleTable(comparison.rows));
  }
  return `${expected.periods.length} period(s) from ${new Date(expected.scheduleStart).toISOString()}`;
}

/** K08.FR.03, 1.6 §5.7: EVSE 0 sums over the station's EVSEs (1.6: its connectors), as configured unless the case names them. */
function summedOver(assertion: CompositeScheduleAssertion, version: OcppVersion, layout: readonly EvseLayout[]): number[] | undefined {
  if (assertion.evseIds) return assertion.evseIds;
  const ids = version === '1.6' ? connectorsOf(layout).map(({ connector }) => connector.id) : layout.map((evse) => evse.id);
  return ids.length > 0 ? ids : undefined;
}

function expectedComposite(assertion: CompositeScheduleAssertion, call: TraceRecord, records: readonly TraceRecord[], version: OcppVersion, layout: readonly EvseLayout[]) {
  const request = (call.payload ?? {}) as Record<string, unknown>;
  const { profiles, transactions } = ledgerBefore(records, records.indexOf(call), version);
  return compositeSchedule({
    version, profiles, transactions,
    evseId: Number(request[version === '1.6' ? 'connectorId' : 'evseId']),
    start: Date.parse(call.timestamp),
    duration: Number(request['duration']),
    chargingRateUnit: request['chargingRateUnit'] as RateUnit | undefined,
    evseIds: summedOver(assertion, version, layout),
  }, { voltage: assertion.tolerance.voltage });
}

function toleranceText({ limit = 0.1, limitUnit = 'A', seconds = DEFAULT_SECONDS }: ScheduleTolerance): string {
  return `${limit} ${limitUnit} and ${seconds} s`;
}

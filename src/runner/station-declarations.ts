import { declarationSourceOf, type StationDeclarations } from '../domain/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { TestCase } from '../testcase/index.js';
import { describeOutcome } from './between-cases/upkeep-context.js';
import { undeclared, type Plan } from './select.js';
import type { SutLink } from './sut-link.js';

/** What the station said of itself, or why it could not be asked. */
type Learned = { declarations: StationDeclarations } | { unasked: string };

/**
 * What one station lane learns of the station under test's own declarations (1.6: its
 * SupportedFeatureProfiles and configuration keys, issue 16; 2.0.1 and 2.1: its device-model
 * variables, issue 18), for the planned cases whose features the configuration leaves to the
 * station (PlannedCase.asks). The station is asked once, when the
 * lane's station is there, and the answer serves the whole run: a case needing what neither the
 * configuration nor the station declares is not-applicable at its start.
 */
export class LaneDeclarations {
  private readonly asks: Map<TestCase, readonly string[]>;
  private learned: Learned | undefined;

  constructor(plan: Plan, private readonly version: OcppVersion) {
    this.asks = new Map(plan.cases.flatMap((planned) => (planned.asks && planned.asks.length > 0 ? [[planned.testCase, planned.asks] as const] : [])));
  }

  /** Asks the station what it declares, once per run and only when a planned case depends on it. */
  async learn(link: SutLink, timeoutMs: number): Promise<void> {
    const source = declarationSourceOf(this.version);
    if (this.asks.size === 0 || this.learned) return;
    const { action, payload } = source.request([...new Set([...this.asks.values()].flat())]);
    const outcome = link.session ? await link.session.call(action, payload, { timeoutMs }) : { kind: 'closed' as const };
    this.learned = outcome.kind === 'result' ? { declarations: source.read(outcome.payload) } : { unasked: describeOutcome(action, outcome) };
  }

  /**
   * Why the case does not apply: each feature it needs that the station does not declare, where it
   * was looked for. A station that could not be asked leaves the configuration's word, and the
   * reason says so. Undefined when the case applies.
   */
  unmetBy(testCase: TestCase): string | undefined {
    const asks = this.asks.get(testCase) ?? [];
    if (asks.length === 0) return undefined;
    const learned = this.learned ?? { unasked: 'it was not asked' };
    if ('unasked' in learned) return undeclared(asks, ` (the station could not be asked: ${learned.unasked})`);
    const reasons = asks.flatMap((feature) => {
      const lacking = learned.declarations.lacks(feature);
      return lacking ? [`needs ${feature}: ${lacking}`] : [];
    });
    return reasons.length > 0 ? reasons.join('; ') : undefined;
  }
}

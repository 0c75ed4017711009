import { declarationSourceOf } from '../domain/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { Sut, TestCase } from '../testcase/index.js';

/** What to run: version, SUT role, modules, ids or globs, declared features, shard. */
export interface Selection {
  ocpp: OcppVersion;
  sut: Sut;
  /** Module folders; empty means all. */
  modules: string[];
  /** Case ids or globs (`TC_B_*`); empty means all. */
  patterns: string[];
  /**
   * Features (PICS ids) the configuration declares for the SUT. A station under test may declare
   * more itself (OCPP 1.6: its SupportedFeatureProfiles and configuration keys), asked when the run
   * starts (see PlannedCase.asks).
   */
  features: string[];
  /**
   * How many EVSEs the station has (the configured `evses`); absent when the layout is made to fit
   * each case (the built-in reference, see fitCase).
   */
  evses?: number;
  /**
   * The security profile the station is connected with (the configured `security.profile`);
   * absent when it is made to fit each case (the built-in reference, see fitCase).
   */
  securityProfile?: number;
  /** This process runs shard `index` of `total` (1-based). */
  shard?: { index: number; total: number };
}

/**
 * A selected case: it runs, or it is reported not-applicable with the reason. `asks` lists the
 * features it needs that the configuration does not declare but the station under test may: the
 * run asks the station, and the case is not-applicable at its start unless the station declares them.
 */
export type PlannedCase = { testCase: TestCase; notApplicable?: string; asks?: string[] };

/** The selection's outcome: what will run, and why every other loaded case will not. */
export interface Plan {
  cases: PlannedCase[];
  /** Every case left out, with the reason (another version or role, module, pattern, shard). */
  excluded: Array<{ id: string; reason: string }>;
}

/** Applies a selection to the loaded cases (sorted by id). */
export function planRun(cases: readonly TestCase[], selection: Selection): Plan {
  const plan: Plan = { cases: [], excluded: [] };
  const patterns = selection.patterns.map(globToRegExp);
  const eligible: TestCase[] = [];
  for (const testCase of cases) {
    if (testCase.ocpp !== selection.ocpp) {
      plan.excluded.push({ id: testCase.id, reason: `OCPP ${testCase.ocpp} case (--ocpp ${selection.ocpp} selected)` });
    } else if (testCase.sut !== selection.sut) {
      plan.excluded.push({ id: testCase.id, reason: `${testCase.sut === 'csms' ? 'CSMS' : 'charging-station'} case (--sut ${selection.sut} selected)` });
    } else if (selection.modules.length > 0 && !selection.modules.includes(testCase.module)) {
      plan.excluded.push({ id: testCase.id, reason: `module ${testCase.module} not selected (--module ${selection.modules.join(',')})` });
    } else if (patterns.length > 0 && !patterns.some((pattern) => pattern.test(testCase.id))) {
      plan.excluded.push({ id: testCase.id, reason: `does not match ${selection.patterns.join(' ')}` });
    } else {
      eligible.push(testCase);
    }
  }
  eligible.forEach((testCase, position) => {
    const shard = selection.shard;
    if (shard && position % shard.total !== shard.index - 1) {
      plan.excluded.push({ id: testCase.id, reason: `in shard ${(position % shard.total) + 1}/${shard.total}` });
      return;
    }
    const asks = stationAsked(testCase, selection);
    const notApplicable = notApplicableReason(testCase, selection, asks);
    plan.cases.push(notApplicable ? { testCase, notApplicable } : { testCase, ...(asks.length > 0 ? { asks } : {}) });
  });
  return plan;
}

// The features the case needs, the configuration does not declare, and a station under test
// declares itself (its version's declaration source decides them).
function stationAsked(testCase: TestCase, selection: Selection): string[] {
  if (selection.sut !== 'cs') return [];
  const source = declarationSourceOf(selection.ocpp);
  return testCase.features.filter((feature) => !selection.features.includes(feature) && source.decides(feature));
}

// What the case needs that the configuration does not declare (and the station cannot): features, EVSEs, security profile.
function notApplicableReason(testCase: TestCase, selection: Selection, asks: readonly string[]): string | undefined {
  const reasons: string[] = [];
  const missing = testCase.features.filter((feature) => !selection.features.includes(feature) && !asks.includes(feature));
  if (missing.length > 0) reasons.push(undeclared(missing));
  if (selection.evses !== undefined && testCase.minEvses > selection.evses) {
    reasons.push(`needs ${testCase.minEvses} EVSEs, the configuration declares ${selection.evses} (evses)`);
  }
  if (selection.securityProfile !== undefined && testCase.minSecurityProfile > selection.securityProfile) {
    reasons.push(`needs security profile ${testCase.minSecurityProfile} or higher, the configuration declares ${selection.securityProfile} (security.profile)`);
  }
  if (selection.securityProfile !== undefined && testCase.maxSecurityProfile < selection.securityProfile) {
    reasons.push(`needs security profile ${testCase.maxSecurityProfile} or lower, the configuration declares ${selection.securityProfile} (security.profile)`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

/** "needs feature X, not declared in the configuration" for the features neither the configuration nor the SUT declares. */
export function undeclared(features: readonly string[], because = ''): string {
  return `needs feature${features.length > 1 ? 's' : ''} ${features.join(', ')}, not declared in the configuration${because}`;
}

/** `TC_B_*` → /^TC_B_.*$/; a plain id matches itself only. */
export function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`);
}

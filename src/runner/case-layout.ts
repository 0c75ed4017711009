import type { EvseConfig, HarnessConfig } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { TestCase } from '../testcase/index.js';

/**
 * The configuration a case runs with against the built-in reference, whose station layout is ours
 * to choose: the configured layout with as many EVSEs as the case needs (`minEvses`, see withEvses).
 */
export function fitLayout(config: HarnessConfig, testCase: TestCase): HarnessConfig {
  return withEvses(config, testCase.minEvses, testCase.ocpp);
}

/**
 * The configuration with at least `count` EVSEs: the configured ones, plus EVSEs of one connector
 * each. New EVSE ids follow the highest configured one; under OCPP 1.6, whose connector ids are
 * station-wide, so do the new connector ids. Returns `config` itself when it has enough.
 */
export function withEvses(config: HarnessConfig, count: number, ocpp?: OcppVersion): HarnessConfig {
  const missing = count - config.evses.length;
  if (missing <= 0) return config;
  const evses: EvseConfig[] = [...config.evses];
  let evseId = Math.max(0, ...evses.map((evse) => evse.id));
  let connectorId = Math.max(0, ...evses.flatMap((evse) => evse.connectors.map((connector) => connector.id)));
  for (let i = 0; i < missing; i++) evses.push({ id: ++evseId, connectors: [{ id: ocpp === '1.6' ? ++connectorId : 1 }] });
  return { ...config, evses };
}

/** True when two configurations describe the same EVSEs and connectors. */
export function sameLayout(a: HarnessConfig, b: HarnessConfig): boolean {
  return JSON.stringify(a.evses) === JSON.stringify(b.evses);
}

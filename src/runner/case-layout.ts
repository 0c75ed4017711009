import { randomBytes, randomInt } from 'node:crypto';
import type { EvseConfig, HarnessConfig, SecurityConfig } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { TestCase } from '../testcase/index.js';
import { usesBasicAuth } from '../transport/index.js';

/**
 * The configuration a case runs with against the built-in reference, whose station is ours to
 * choose: the configured layout with as many EVSEs as the case needs (`minEvses`, see withEvses),
 * connected with the security profile it needs (`minSecurityProfile`, see withSecurityProfile;
 * `password` when the configuration has none).
 */
export function fitCase(config: HarnessConfig, testCase: TestCase, password: string): HarnessConfig {
  return withSecurityProfile(withEvses(config, testCase.minEvses, testCase.ocpp), testCase.minSecurityProfile, password);
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

/**
 * The configuration with at least security profile `minimum`: the configured Basic-auth password,
 * or `password` when the configuration has none (profiles 1 and 2), and the configured TLS files.
 * Returns `config` itself when its profile suffices.
 */
export function withSecurityProfile(config: HarnessConfig, minimum: number, password: string): HarnessConfig {
  if (config.security.profile >= minimum) return config;
  const profile = minimum as SecurityConfig['profile'];
  const { basicAuthPassword: configured, ...files } = config.security;
  const basicAuthPassword = usesBasicAuth(profile) ? (configured ?? password) : undefined;
  return { ...config, security: { ...files, profile, ...(basicAuthPassword !== undefined ? { basicAuthPassword } : {}) } };
}

/**
 * A05: the configuration of the station after a security profile upgrade, one profile above the
 * configured 1 or 2 (the Basic-auth password kept for 2, none at 3); undefined at 0 and 3, from
 * which no case upgrades.
 */
export function upgradedConfig(config: HarnessConfig, password: string): HarnessConfig | undefined {
  const { profile } = config.security;
  return profile === 1 || profile === 2 ? withSecurityProfile(config, profile + 1, config.security.basicAuthPassword ?? password) : undefined;
}

/** True when two configurations describe the same station: EVSEs and connectors, security. */
export function sameFit(a: HarnessConfig, b: HarnessConfig): boolean {
  return JSON.stringify([a.evses, a.security]) === JSON.stringify([b.evses, b.security]);
}

const PASSWORD_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random Basic-auth password of 24 alphanumeric characters (A00.FR.205: 16 to 40, high entropy). */
export function generatePassword(): string {
  return Array.from({ length: 24 }, () => PASSWORD_CHARACTERS[randomInt(PASSWORD_CHARACTERS.length)]).join('');
}

/** A random 1.6 AuthorizationKey: 20 random bytes as 40 hexadecimal digits (1.6 security whitepaper A00.FR.205, §7.2). */
export function generateHexPassword(): string {
  return randomBytes(20).toString('hex');
}

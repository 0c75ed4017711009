import type { HarnessConfig } from '../config/index.js';
import type { TestPki } from '../pki/index.js';
import type { TestCase } from '../testcase/index.js';
import { usesTls, type ConnectionLimits, type ConnectionSecurity } from '../transport/index.js';
import type { CaseGate } from './case-gate.js';
import { fitCase, withSecurityProfile } from './case-layout.js';
import { REFERENCE_CSMS_HOST, type OwnCsms } from './connection-security.js';
import { serverHosts, startCsmsServers, type CsmsServers } from './csms-servers.js';
import type { FileServer } from './file-server.js';
import type { SuiteOptions } from './suite-options.js';

/**
 * What a run offers every case besides the SUT: its file server (each lane has its own part),
 * its test PKI, as templates see it, and (sut cs) the harness's CSMS servers.
 */
export interface RunMaterials {
  fileServer: FileServer;
  pki: TestPki;
  pkiView: Record<string, unknown>;
  csms?: CsmsServers;
  /** Keeps a case that presents something in TLS handshakes from sharing the servers with another lane's case. */
  gate: CaseGate;
  /** Against the built-in reference: the Basic-auth password of cases fitted to a security profile the configuration lacks. */
  fitPassword: string;
  /**
   * The security of connections made with a configuration (the configured one, or one fitted to a
   * case); with `stationId`, that station's (its client certificate at profile 3).
   */
  securityOf(config: HarnessConfig, stationId?: string): ConnectionSecurity;
}

/**
 * The harness's CSMS. Against the built-in reference, cases fitted to a security profile the
 * configuration lacks (minSecurityProfile) decide whether TLS is served besides.
 */
export async function startServers(options: SuiteOptions, runnable: readonly TestCase[], materials: RunMaterials): Promise<CsmsServers> {
  const fitted = options.startReference ? runnable.map((testCase) => materials.securityOf(fitCase(options.config, testCase, materials.fitPassword))) : [];
  // Profile 2 cases take the TLS server when there are any: profile 3 ones then get their own.
  const tlsSecurity = fitted.find((security) => security.profile === 2) ?? fitted.find(usesTls);
  const mutualSecurity = fitted.find((security) => security.profile === 3);
  const { config } = options;
  const upgradeSecurities = upgradeSecuritiesOf(options, runnable, materials);
  return startCsmsServers({
    listen: listenOf(options), ocpp: options.ocpp, pki: materials.pki, security: materials.securityOf(config), ...(tlsSecurity ? { tlsSecurity } : {}), ...(mutualSecurity ? { mutualSecurity } : {}),
    ...(upgradeSecurities.length > 0 ? { upgradeSecurities } : {}), limits: connectionLimitsOf(config), handshakeMs: config.timeouts.handshakeMs,
  });
}

/**
 * The securities stations are upgraded to (A05): one profile above that of each case that may
 * offer a higher one (maxSecurityProfile below 3) and runs at profile 1 or 2: the configured
 * profile, or against the built-in reference the one the case is fitted to. At profile 3 the
 * station certificates the run's csmsRoot issues are admitted besides the configured ones: the
 * harness itself renews the station's certificate before the upgrade (TC_A_19_CS).
 */
function upgradeSecuritiesOf(options: SuiteOptions, runnable: readonly TestCase[], materials: RunMaterials): ConnectionSecurity[] {
  const upgraded = new Map<number, ConnectionSecurity>();
  for (const testCase of runnable.filter((candidate) => candidate.maxSecurityProfile < 3)) {
    const config = options.startReference ? fitCase(options.config, testCase, materials.fitPassword) : options.config;
    const { profile } = config.security;
    if (profile < 1 || profile > 2 || upgraded.has(profile + 1)) continue;
    const security = materials.securityOf(withSecurityProfile(config, profile + 1, materials.fitPassword));
    const ownRoot = materials.pki.certificate('csmsRoot').certificatePem;
    const client = security.profile === 3 ? [...new Set([...security.trustedRoots.client, ownRoot])] : security.trustedRoots.client;
    upgraded.set(profile + 1, { ...security, trustedRoots: { ...security.trustedRoots, client } });
  }
  return [...upgraded.values()];
}

/** The bounds of every connection to the SUT, as configured (issue 14). */
export function connectionLimitsOf(config: HarnessConfig): ConnectionLimits {
  return { ...config.limits, closeMs: config.timeouts.closeMs };
}

const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9000 };

export function listenOf(options: SuiteOptions): { host: string; port: number } {
  return options.listen ?? DEFAULT_LISTEN;
}

/**
 * The CSMS is the harness's own when it plays the CSMS (sut cs) or runs the reference CSMS
 * (--builtin): its certificate comes from the run's PKI, for the hosts stations reach it by.
 */
export function ownCsmsOf(options: SuiteOptions, pki: TestPki): OwnCsms | undefined {
  if (options.sut === 'cs') return { pki, hosts: serverHosts(listenOf(options).host) };
  return options.startReference && !options.target ? { pki, hosts: serverHosts(REFERENCE_CSMS_HOST) } : undefined;
}

import type { HarnessConfig } from '../config/index.js';
import type { OcppVersion } from '../protocol/index.js';
import type { TestPki } from '../pki/index.js';
import { ReferenceCsms, ReferenceStation, parseFault, type Fault, type InstalledCertificate, type ReferenceCsmsOptions } from '../reference/index.js';
import { REFERENCE_CSMS_HOST } from './connection-security.js';
import type { StartReference } from './run-suite.js';

const REFERENCE_MESSAGE_TIMEOUT_S = 3;
// The in-process station reboots at once: suites and the self-check stay fast. `simulate station`
// takes the realistic simulate.rebootDelayMs instead.
const REFERENCE_REBOOT_DELAY_MS = 50;

/**
 * The reference station talks over loopback, in process or on its own (`simulate station`): a short
 * answer timeout (a read-only device setting, Part 2) keeps timeout-and-retry cases to seconds.
 * Cases read it, never assume it.
 */
export function loopbackStationSettings(ocpp: OcppVersion): { settings?: Record<string, string> } {
  return ocpp === '1.6' ? {} : { settings: { 'OCPPCommCtrlr.MessageTimeout.Default': String(REFERENCE_MESSAGE_TIMEOUT_S) } };
}

/**
 * Starts the built-in reference implementation of the other role for one station lane: a reference
 * station that connects to the harness's CSMS (sut cs), or a reference CSMS the harness connects
 * to (sut csms). `faults` make it break the specification on purpose (the self-check); a station
 * is built with the traits the runner asks for (reference-build.ts).
 */
export function referenceStarter(faultTexts: readonly string[] = []): StartReference {
  const faults: Fault[] = faultTexts.map(parseFault);
  return async ({ stationId, csmsUrl, ocpp, config, security, pki, traits, upgradeSecurity }) => {
    if (csmsUrl) {
      const station = new ReferenceStation({
        version: ocpp, endpoint: csmsUrl, stationId, evses: config.evses, faults, traits, security,
        certificates: deliveredCertificates(pki), timing: { rebootDelayMs: REFERENCE_REBOOT_DELAY_MS }, ...loopbackStationSettings(ocpp),
      });
      await station.start({ settleMs: config.timeouts.messageMs });
      return { control: station.control, stop: () => station.stop() };
    }
    // Like the CSMS of simulate: it signs its stations' CSRs with the run's csmsRoot (A02, A03).
    const csms = new ReferenceCsms({
      version: ocpp, host: REFERENCE_CSMS_HOST, port: 0, ...referenceCsmsTokens(config), faults, security, ...(upgradeSecurity ? { upgradeSecurity } : {}),
      certificateAuthority: { issuer: () => pki.certificate('csmsRoot') },
    });
    const { url, upgradeUrl } = await csms.start();
    return { control: csms.control, stop: () => csms.stop(), csmsUrl: url, ...(upgradeUrl ? { upgradeUrl } : {}) };
  };
}

/**
 * The certificates a reference station comes with, like a delivered station: the manufacturer root
 * of its firmware (signed firmware, L01) and the root of the CSMS it connects to (M03).
 */
export function deliveredCertificates(pki: TestPki): InstalledCertificate[] {
  return [
    { certificateType: 'ManufacturerRootCertificate', pem: pki.certificate('manufacturerRoot').certificatePem },
    { certificateType: 'CSMSRootCertificate', pem: pki.certificate('csmsRoot').certificatePem },
  ];
}

/** How long the harness as station pauses before reconnecting to the in-process reference CSMS. */
const REFERENCE_RECONNECT_DELAY_S = 0.05;

/**
 * The configuration for a run against the in-process reference: it performs every device action
 * itself, and the harness as station reconnects to it after a short pause (a real CSMS gets the
 * configured, realistic one; the reference is not slowed by a quick reconnect).
 */
export function configForReference(config: HarnessConfig): HarnessConfig {
  return {
    ...config,
    adapters: { default: { kind: 'builtin' }, actions: {} },
    timing: { ...config.timing, reconnectDelayS: Math.min(config.timing.reconnectDelayS, REFERENCE_RECONNECT_DELAY_S) },
  };
}

/**
 * What the reference CSMS knows of the configured tokens: the statuses their roles give them, and
 * the master pass token in the MasterPassGroupId group (C16).
 */
export function referenceCsmsTokens(config: HarnessConfig): Pick<ReferenceCsmsOptions, 'idTokens' | 'masterPass'> {
  const tokens = config.idTokens;
  return {
    idTokens: {
      [tokens.valid.idToken]: 'Accepted', [tokens.valid2.idToken]: 'Accepted', [tokens.group.idToken]: 'Accepted', [tokens.masterPass.idToken]: 'Accepted',
      [tokens.blocked.idToken]: 'Blocked', [tokens.expired.idToken]: 'Expired', [tokens.invalid.idToken]: 'Invalid',
    },
    masterPass: { groupIdToken: { ...tokens.masterPassGroupId }, idTokens: [tokens.masterPass.idToken] },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { issueCertificate, TestPki } from '../../pki/index.js';
import { HandshakeError, type ConnectionSecurity } from '../../transport/index.js';
import { parseFault } from '../faults.js';
import { ReferenceStation } from './reference-station.js';
import { TestCsms, WAIT_MS, payloadOf, type StationRig, startStationRig } from './station.test-support.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const HOSTS = ['127.0.0.1', 'localhost'];
const root1 = pki.certificate('csmsRoot').certificatePem;
const delivered = [{ certificateType: 'CSMSRootCertificate', pem: root1 }];
// Profile 2: Basic auth over TLS; the station trusts the CSMS roots it holds, not these.
const SECURITY: ConnectionSecurity = { profile: 2, basicAuth: { password: 'reference-password-0123' }, trustedRoots: { server: [], client: [] } };

let rig: StationRig | undefined;
const others: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of others.splice(0)) await stop();
  await rig?.close();
  rig = undefined;
});

async function csmsWithRoot(tls: { certificatePem: string; privateKeyPem: string }, adjust: Partial<ConnectionSecurity> = {}): Promise<TestCsms> {
  const csms = await TestCsms.start('2.0.1', tls, adjust);
  others.push(() => csms.close());
  return csms;
}

async function answer(csms: TestCsms, action: string, payload: Record<string, unknown>): Promise<Record<string, any>> {
  const outcome = await csms.call(action, payload);
  if (outcome.kind !== 'result') throw new Error(`${action}: ${outcome.kind}`);
  return outcome.payload as Record<string, any>;
}

/** Sends the station to another endpoint (B09/B10): a profile in slot 1, slot 1 first, a reset. */
async function migrate(from: TestCsms, to: TestCsms): Promise<void> {
  const connectionData = { messageTimeout: 30, ocppCsmsUrl: `${to.server.url}/new`, ocppInterface: 'Wired0', ocppTransport: 'JSON', ocppVersion: 'OCPP20', securityProfile: 2 };
  expect(await answer(from, 'SetNetworkProfile', { configurationSlot: 1, connectionData })).toEqual({ status: 'Accepted' });
  const priority = await answer(from, 'SetVariables', { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' }, attributeValue: '1,0' }] });
  expect(priority['setVariableResult'][0].attributeStatus).toMatch(/Accepted|RebootRequired/);
  expect(await answer(from, 'Reset', { type: 'OnIdle' })).toEqual({ status: 'Accepted' });
}

const rootsOf = async (csms: TestCsms) => ((await answer(csms, 'GetInstalledCertificateIds', { certificateType: ['CSMSRootCertificate'] }))['certificateHashDataChain'] as unknown[]).length;

describe('reference station over TLS (security profile 2)', () => {
  it('connects over wss trusting its installed CSMS root, with Basic auth, and reports SecurityProfile 2', async () => {
    rig = await startStationRig('2.0.1', { tls: pki.serverCertificate('csmsRoot', HOSTS), security: SECURITY, certificates: delivered });
    await rig.csms.waitForCall('BootNotification');
    expect(rig.csms.handshakes.at(-1)?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    const profile = await answer(rig.csms, 'GetVariables', { getVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' } }] });
    expect(profile['getVariableResult'][0].attributeValue).toBe('2');
  });

  it('refuses a CSMS whose server certificate no installed root signed: start fails with a TLS HandshakeError', async () => {
    const csms = await csmsWithRoot(pki.serverCertificate('csmsRoot2', HOSTS));
    const station = new ReferenceStation({ version: '2.0.1', endpoint: `${csms.server.url}/ocpp`, stationId: 'CS001', evses: [{ id: 1, connectors: [{ id: 1 }] }], security: SECURITY, certificates: delivered });
    const error = await station.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).tlsError).toBeDefined();
    expect(csms.sessions).toHaveLength(0);
  });

  it('migrates to a CSMS whose certificate a newly installed root signed (B10, M05), unless it trusts only its delivered root', async () => {
    for (const faults of [[], ['behaviour:trust-delivered-root-only']]) {
      const old = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS));
      const next = await csmsWithRoot(pki.serverCertificate('csmsRoot2', HOSTS));
      const station = new ReferenceStation({
        version: '2.0.1', endpoint: `${old.server.url}/ocpp`, stationId: 'CS001', evses: [{ id: 1, connectors: [{ id: 1 }] }], security: SECURITY, certificates: delivered,
        faults: faults.map(parseFault), settings: { 'OCPPCommCtrlr.NetworkProfileConnectionAttempts': '1' }, timing: { reconnectDelayMs: 20, rebootDelayMs: 20 },
      });
      others.unshift(() => station.stop());
      await station.start();
      expect(await answer(old, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: pki.certificate('csmsRoot2').certificatePem })).toEqual({ status: 'Accepted' });
      await migrate(old, next);
      if (faults.length === 0) {
        await next.waitForCall('BootNotification');
        expect(next.handshakes.at(-1)?.url).toBe('/new/CS001');
        expect(old.callsOf('BootNotification')).toHaveLength(1);
      } else {
        // The new CSMS is never reached; after its attempt the station falls back to the old one (B10.FR.03).
        await old.waitForCall('BootNotification', 2, WAIT_MS);
        expect(next.sessions).toHaveLength(0);
      }
    }
  });

  it('with AdditionalRootCertificateCheck removes the old root once the new one verified the CSMS (M05.FR.13), not while only the old one did (M05.FR.14)', async () => {
    const successor = issueCertificate({ commonName: 'CSMS Root 1 successor', issuer: pki.certificate('csmsRoot'), isCa: true });
    const successorServer = issueCertificate({ commonName: '127.0.0.1', issuer: successor, serverHosts: HOSTS });
    const next = await csmsWithRoot(successorServer);
    rig = await startStationRig('2.0.1', {
      tls: pki.serverCertificate('csmsRoot', HOSTS), security: SECURITY, certificates: delivered,
      settings: { 'SecurityCtrlr.AdditionalRootCertificateCheck': 'true', 'OCPPCommCtrlr.NetworkProfileConnectionAttempts': '1' },
    });
    expect(await answer(rig.csms, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: successor.certificatePem })).toEqual({ status: 'Accepted' });
    // Rebooted onto the same CSMS: its certificate chains to the old root only, which stays.
    expect(await answer(rig.csms, 'Reset', { type: 'Immediate' })).toEqual({ status: 'Accepted' });
    // Accepted again: the event after the reboot (the start-up one may be lost to the reset).
    await rig.csms.waitUntil(() => rig!.csms.callsOf('SecurityEventNotification').some((record) => payloadOf(record)['type'] === 'ResetOrReboot'));
    expect(await rootsOf(rig.csms)).toBe(2);
    // Migrated to a CSMS the new root verifies: the fallback goes.
    await migrate(rig.csms, next);
    await next.waitForCall('SecurityEventNotification');
    expect(await rootsOf(next)).toBe(1);
  });
});

describe('reference station over mutual TLS (security profile 3) and old TLS versions', () => {
  const station = (csms: TestCsms, security: ConnectionSecurity, faults: string[] = []) => {
    const started = new ReferenceStation({ version: '2.0.1', endpoint: `${csms.server.url}/ocpp`, stationId: 'CS001', evses: [{ id: 1, connectors: [{ id: 1 }] }], security, certificates: delivered, faults: faults.map(parseFault) });
    others.unshift(() => started.stop());
    return started;
  };

  it('presents its client certificate without Basic auth, which a CSMS trusting its root admits for its identity', async () => {
    const clientCertificate = issueCertificate({ commonName: 'CS001', issuer: pki.certificate('csmsRoot') });
    const csms = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS), { profile: 3, trustedRoots: { server: [], client: [root1] } });
    await station(csms, { profile: 3, clientCertificate, trustedRoots: { server: [], client: [] } }).start();
    await csms.waitForCall('BootNotification');
    const handshake = csms.handshakes.at(-1)!;
    expect(handshake.tls?.peerCertificate?.subject).toBe('CN=CS001, O=ocpp-harness test PKI');
    expect(handshake.requestHeaders['authorization']).toBeUndefined();
  });

  it('refuses a CSMS that speaks only TLS 1.1 (A00.FR.419), unless behaviour:accepts-old-tls', async () => {
    const csms = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS), { legacyTls: 'only' });
    const error = await station(csms, SECURITY).start().catch((e: unknown) => e);
    expect((error as HandshakeError).message).toMatch(/A00\.FR\.313\/315\/316: no TLS version in common/);
    expect(csms.sessions).toHaveLength(0);
    await station(csms, SECURITY, ['behaviour:accepts-old-tls']).start();
    await csms.waitForCall('BootNotification');
    expect(csms.handshakes.at(-1)?.tls?.protocol).toBe('TLSv1.1');
  });
});

describe('reference station upgrading its security profile (A05)', () => {
  const PROFILE_1: ConnectionSecurity = { profile: 1, basicAuth: { password: 'reference-password-0123' }, trustedRoots: { server: [], client: [] } };
  const priorityOf = async (csms: TestCsms) => (await answer(csms, 'GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' } }] }))['getVariableResult'][0].attributeValue;

  /** From profile 1: the CSMS root, a profile 2 network profile for `to` first, a reset. */
  async function upgrade(from: TestCsms, to: TestCsms): Promise<void> {
    expect(await answer(from, 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: root1 })).toEqual({ status: 'Accepted' });
    const connectionData = { messageTimeout: 30, ocppCsmsUrl: `${to.server.url}/up`, ocppInterface: 'Wired0', ocppTransport: 'JSON', ocppVersion: 'OCPP20', securityProfile: 2 };
    expect(await answer(from, 'SetNetworkProfile', { configurationSlot: 1, connectionData })).toEqual({ status: 'Accepted' });
    const priority = await answer(from, 'SetVariables', { setVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' }, attributeValue: '1,0' }] });
    expect(priority['setVariableResult'][0].attributeStatus).toMatch(/Accepted|RebootRequired/);
    expect(await answer(from, 'Reset', { type: 'OnIdle' })).toEqual({ status: 'Accepted' });
  }

  it('connects over TLS at the new first profile, reports SecurityProfile 2 and keeps no slot of profile 1 (A05.FR.05/06)', async () => {
    rig = await startStationRig('2.0.1', { security: PROFILE_1 });
    const next = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS), { basicAuth: { password: 'reference-password-0123' } });
    await upgrade(rig.csms, next);
    await next.waitForCall('BootNotification');
    expect(next.handshakes.at(-1)?.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    const profile = await answer(next, 'GetVariables', { getVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'SecurityProfile' } }] });
    expect(profile['getVariableResult'][0].attributeValue).toBe('2');
    expect(await priorityOf(next)).toBe('1');
  });

  it('under behaviour:upgrade-keeps-old-profile tries the new endpoint without TLS and falls back to the old one', async () => {
    rig = await startStationRig('2.0.1', { security: PROFILE_1, faultTexts: ['behaviour:upgrade-keeps-old-profile'], settings: { 'OCPPCommCtrlr.NetworkProfileConnectionAttempts': '1' }, timing: { reconnectDelayMs: 20, rebootDelayMs: 20 } });
    const next = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS), { basicAuth: { password: 'reference-password-0123' } });
    await upgrade(rig.csms, next);
    await rig.csms.waitForCall('BootNotification', 2, WAIT_MS);
    expect(next.sessions).toHaveLength(0);
  });

  it('sets the delivered profile and endpoint back on restoreSecurityProfile, by other means than OCPP', async () => {
    rig = await startStationRig('2.0.1', { security: PROFILE_1 });
    const next = await csmsWithRoot(pki.serverCertificate('csmsRoot', HOSTS), { basicAuth: { password: 'reference-password-0123' } });
    await upgrade(rig.csms, next);
    // Booted at the new endpoint (its start-up event comes once the boot was accepted).
    await next.waitForCall('SecurityEventNotification');
    expect(await rig.station.control.perform('restoreSecurityProfile', {})).toMatchObject({ status: 'done' });
    await rig.csms.waitForCall('BootNotification', 2, WAIT_MS);
    expect(await priorityOf(rig.csms)).toBe('0');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { TestPki } from '../../pki/index.js';
import { Session, MemoryTrace } from '../../session/index.js';
import { HandshakeError, connectAsStation, type ConnectionSecurity } from '../../transport/index.js';
import type { OcppVersion, Payload } from '../../protocol/index.js';
import { parseFault } from '../faults.js';
import { ReferenceCsms } from './reference-csms.js';
import { WAIT_MS, basicAuth, bootRequest } from './csms.test-support.js';

// One PKI for the file: issuing keys is the slow part.
const pki = new TestPki();
const root = pki.certificate('csmsRoot').certificatePem;
const PASSWORD = 'upgrade-password-0123456';
const profile1 = basicAuth(PASSWORD);
const profile2: ConnectionSecurity = { profile: 2, basicAuth: { password: PASSWORD }, serverCertificate: pki.serverCertificate('csmsRoot', ['127.0.0.1']), trustedRoots: { server: [root], client: [] } };

let csms: ReferenceCsms | undefined;
afterEach(async () => {
  await csms?.stop();
  csms = undefined;
});

/** The CSMS at profile 1 with its endpoint at profile 2, and CS001 connected and booted at profile 1. */
async function upgradeRig(version: OcppVersion, faults: string[] = []): Promise<{ url: string; upgradeUrl: string; station: Session }> {
  csms = new ReferenceCsms({ version, security: profile1, upgradeSecurity: profile2, faults: faults.map(parseFault) });
  const { url, upgradeUrl } = await csms.start();
  expect(upgradeUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
  const station = await open(url, profile1, version);
  await station.call('BootNotification', bootRequest(version));
  return { url, upgradeUrl: upgradeUrl!, station };
}

async function open(url: string, security: ConnectionSecurity, version: OcppVersion): Promise<Session> {
  const { connection } = await connectAsStation({ endpoint: `${url}/ocpp`, stationId: 'CS001', versions: [version], security });
  return new Session({ role: 'cs', version, connection, trace: new MemoryTrace(), callTimeoutMs: WAIT_MS });
}

/** The HTTP status a connection attempt gets (101: admitted, then closed again). */
async function statusAt(url: string, security: ConnectionSecurity, version: OcppVersion): Promise<number> {
  try {
    const session = await open(url, security, version);
    await session.close();
    return 101;
  } catch (error) {
    return (error as HandshakeError).handshake.responseStatus;
  }
}

/** The CSMS asks the station to move up one profile; the station answers `status`. */
async function askUpgrade(station: Session, version: OcppVersion, status: string): Promise<void> {
  station.setCallHandler(() => ({ payload: { status } }));
  const [action, payload]: [string, Payload] = version === '1.6'
    ? ['ChangeConfiguration', { key: 'SecurityProfile', value: '2' }]
    : ['SetNetworkProfile', { configurationSlot: 2, connectionData: { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: 'wss://127.0.0.1:1/ocpp', messageTimeout: 30, securityProfile: 2, ocppInterface: 'Wired0' } }];
  expect(await csms!.control.perform('csmsSend', { action, payload, awaitResponse: true })).toMatchObject({ status: 'done' });
  await station.close();
}

describe('reference CSMS: a security profile upgrade (A05)', () => {
  it('once the station it upgraded connected at profile 2, refuses it at profile 1 (A05.FR.07), naming why', async () => {
    const { url, upgradeUrl, station } = await upgradeRig('2.0.1');
    await askUpgrade(station, '2.0.1', 'Accepted');
    expect(await statusAt(url, profile1, '2.0.1')).toBe(101);
    expect(await statusAt(upgradeUrl, profile2, '2.0.1')).toBe(101);
    expect(await statusAt(url, profile1, '2.0.1')).toBe(403);
    expect(csms!.snapshot().refusedConnections).toEqual([{ stationId: 'CS001', reason: expect.stringMatching(/^A05: "CS001" was upgraded to security profile 2/) }]);
    expect(await statusAt(upgradeUrl, profile2, '2.0.1')).toBe(101);
  });

  it('1.6: the same after the SecurityProfile key was raised (whitepaper A05.FR.09)', async () => {
    const { url, upgradeUrl, station } = await upgradeRig('1.6');
    await askUpgrade(station, '1.6', 'Accepted');
    expect(await statusAt(upgradeUrl, profile2, '1.6')).toBe(101);
    expect(await statusAt(url, profile1, '1.6')).toBe(403);
  });

  it('keeps admitting the old profile when the station did not accept the upgrade, even after it visited the higher endpoint', async () => {
    const { url, upgradeUrl, station } = await upgradeRig('2.0.1');
    await askUpgrade(station, '2.0.1', 'Rejected');
    expect(await statusAt(upgradeUrl, profile2, '2.0.1')).toBe(101);
    expect(await statusAt(url, profile1, '2.0.1')).toBe(101);
  });

  it('under behaviour:accepts-lower-profile-after-upgrade still admits the old profile', async () => {
    const { url, upgradeUrl, station } = await upgradeRig('2.0.1', ['behaviour:accepts-lower-profile-after-upgrade']);
    await askUpgrade(station, '2.0.1', 'Accepted');
    expect(await statusAt(upgradeUrl, profile2, '2.0.1')).toBe(101);
    expect(await statusAt(url, profile1, '2.0.1')).toBe(101);
  });
});

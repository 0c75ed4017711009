import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { readTraceLines } from '../inspect/index.js';
import { ReferenceCsms } from '../reference/index.js';
import { defaultTestcaseRoot } from '../testcase/index.js';
import { TestPki } from '../pki/index.js';
import { OcppServer, type Connection } from '../transport/index.js';
import { referenceCsmsTokens } from './reference-starter.js';
import { csmsCaseFile, runAgainstCsms, writeTree } from './engine-harness.test-support.js';
import { runSuite } from './run-suite.js';
import { planRun } from './select.js';
import { loadTestcases } from './testcases.js';
import { reasonOf } from './results.test-support.js';

const BOOT = `
  - send: BootNotification
    payload: { reason: PowerUp, chargingStation: { vendorName: Harness, model: Station } }
    match: { status: Accepted }
    checks: [R.1]`;
const acceptBoot = () => ({ payload: { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() } });

/** When each connection the CSMS accepted arrived, and when the one before it had closed (CSMS side). */
interface Arrival { atMs: number; previousClosedAtMs: number | undefined }

function watchConnections(): { arrivals: Arrival[]; onConnection: (connection: Connection) => void } {
  const arrivals: Arrival[] = [];
  let previous: { closedAtMs?: number } | undefined;
  return {
    arrivals,
    onConnection: (connection) => {
      arrivals.push({ atMs: performance.now(), previousClosedAtMs: previous?.closedAtMs });
      const current: { closedAtMs?: number } = {};
      connection.once('close', () => (current.closedAtMs = performance.now()));
      previous = current;
    },
  };
}

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the harness as a station is a well-behaved peer', () => {
  it('closes its connection and waits for the close, then pauses timing.reconnectDelayS, before it connects again', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_PEER_01_CSMS.yaml': csmsCaseFile('OH_PEER_01_CSMS', `
  - connection: open${BOOT}
  - title: the station reboots
    connection: drop
  - connection: open${BOOT}
`),
      // Starts while the previous case's connection is still open.
      'ocpp2.0.1/core/OH_PEER_02_CSMS.yaml': csmsCaseFile('OH_PEER_02_CSMS', `
  - connection: open${BOOT}
`),
    });
    const delayS = 0.3;
    const watch = watchConnections();
    const result = await runAgainstCsms(root, { onCall: acceptBoot, onConnection: watch.onConnection }, { config: { timing: { reconnectDelayS: delayS } } });
    expect(result.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual([['OH_PEER_01_CSMS', 'pass', undefined], ['OH_PEER_02_CSMS', 'pass', undefined]]);
    expect(watch.arrivals).toHaveLength(3);
    for (const [i, arrival] of watch.arrivals.slice(1).entries()) {
      // The CSMS saw the old connection closed before the new upgrade arrived, and the pause between.
      expect(arrival.previousClosedAtMs, `connection ${i + 2}`).toBeDefined();
      // Each end stamps the close on its own event: allow them a few milliseconds apart.
      expect(arrival.atMs - arrival.previousClosedAtMs!, `connection ${i + 2}`).toBeGreaterThanOrEqual(delayS * 1000 - 20);
    }
    expect(result.cases[0]?.steps[3]?.detail).toMatch(/^paused 0\.\d\d s before reconnecting; connected/);
  });

  it('a CSMS that cannot be reached (refused, unknown host, failed TLS set-up) is an error with the cause, not a fail', async () => {
    const root = writeTree({ 'ocpp2.0.1/core/OH_PEER_03_CSMS.yaml': csmsCaseFile('OH_PEER_03_CSMS', `  - connection: open${BOOT}\n`) });
    const port = await closedPort();
    const refused = await runAgainstCsms(root, {}, { target: `ws://127.0.0.1:${port}/ocpp` });
    expect(refused.cases[0]?.verdict).toBe('error');
    expect(reasonOf(refused.cases[0])).toContain(`cannot reach the CSMS at ws://127.0.0.1:${port}/ocpp/CS001: ECONNREFUSED`);
    // .invalid never resolves (RFC 6761); without a resolver the lookup fails as well.
    const unknownHost = await runAgainstCsms(root, {}, { target: 'ws://ocpp-harness-test.invalid/ocpp' });
    expect(unknownHost.cases[0]?.verdict).toBe('error');
    expect(reasonOf(unknownHost.cases[0])).toMatch(/cannot reach the CSMS at ws:\/\/ocpp-harness-test\.invalid\/ocpp\/CS001: (ENOTFOUND|EAI_AGAIN)/);
    // A wss CSMS whose certificate a root of the test PKI issued: no root the harness trusts.
    const tls = await OcppServer.listen({ host: '127.0.0.1', port: 0, versions: ['2.0.1'], security: { profile: 2, serverCertificate: new TestPki().serverCertificate('csmsRoot', ['127.0.0.1']), trustedRoots: { server: [], client: [] } } });
    try {
      const untrusted = await runAgainstCsms(root, {}, { target: `${tls.url}/ocpp` });
      expect(untrusted.cases[0]?.verdict).toBe('error');
      expect(reasonOf(untrusted.cases[0])).toMatch(/TLS handshake failed: A00\.FR\.308\/310: the server certificate does not chain to a trusted root \(/);
    } finally {
      await tls.close();
    }
  });

  it('an HTTP 401 to the configured password is an error naming the config field; a case trying other credentials still judges the CSMS', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_PEER_04_CSMS.yaml': csmsCaseFile('OH_PEER_04_CSMS', `  - connection: open${BOOT}\n`),
      'ocpp2.0.1/core/OH_PEER_05_CSMS.yaml': csmsCaseFile('OH_PEER_05_CSMS', `
  - connection: open
    password: another-password-0002
    checks: [R.1]
`),
      'ocpp2.0.1/core/OH_PEER_06_CSMS.yaml': csmsCaseFile('OH_PEER_06_CSMS', `
  - connection: open
    password: another-password-0002
    refused: true
    checks: [R.1]
`),
    });
    const result = await runAgainstCsms(root, { onCall: acceptBoot }, {
      password: 'the-csms-password-0001',
      config: { security: { profile: 1, basicAuthPassword: 'configured-password-0003' } },
    });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_PEER_04_CSMS', 'error'], ['OH_PEER_05_CSMS', 'fail'], ['OH_PEER_06_CSMS', 'pass']]);
    expect(reasonOf(result.cases[0])).toMatch(/HTTP 401 to the configured password: check security\.basicAuthPassword/);
    expect(reasonOf(result.cases[1])).toMatch(/HTTP 401/);
  });
});

/** The eventIds and transactionIds the harness-station sent, read from a run's trace files. */
function stationIdentifiers(outDir: string): { eventIds: number[]; transactionIds: Set<string> } {
  const eventIds: number[] = [];
  const transactionIds = new Set<string>();
  for (const file of readdirSync(join(outDir, 'traces')).filter((name) => name.startsWith('TC_'))) {
    // The trace keeps a frame in raw only (issue 14); the reader gives back its payload.
    for (const line of readTraceLines(readFileSync(join(outDir, 'traces', file), 'utf8'))) {
      if (!('record' in line) || line.record.messageType !== 'CALL') continue;
      const record = line.record as { action?: string; payload?: Record<string, any> };
      if (record.action === 'NotifyEvent') eventIds.push(...(record.payload!['eventData'] as Array<{ eventId: number }>).map((event) => event.eventId));
      if (record.action === 'TransactionEvent') transactionIds.add(record.payload!['transactionInfo'].transactionId);
    }
  }
  return { eventIds, transactionIds };
}

describe('identifiers the harness-station makes up', () => {
  it('eventIds and transactionIds never repeat, across cases and across two runs against the same reference CSMS', async () => {
    const config = resolveConfig({ evses: [{ id: 1, connectors: [{ id: 1 }] }, { id: 2, connectors: [{ id: 1 }] }], timing: { reconnectDelayS: 0.05 }, timeouts: { messageMs: 2000, connectMs: 3000, longOperationMs: 3000 }, adapters: { default: { kind: 'builtin' } } });
    const catalog = loadTestcases(defaultTestcaseRoot());
    // NotifyEvent in a state and per connector; one transaction, and two in one case.
    const patterns = ['TC_E_01_CSMS', 'TC_L_11_CSMS', 'TC_E_53_CSMS'];
    const plan = planRun(catalog.cases, { ocpp: '2.0.1', sut: 'csms', modules: [], patterns, features: [], evses: 2 });
    expect(plan.cases).toHaveLength(3);
    const csms = new ReferenceCsms({ version: '2.0.1', port: 0, ...referenceCsmsTokens(config) });
    const { url } = await csms.start();
    try {
      const runs: Array<ReturnType<typeof stationIdentifiers>> = [];
      for (let i = 0; i < 2; i++) {
        const outDir = mkdtempSync(join(tmpdir(), 'oh-peer-ids-'));
        const result = await runSuite({
          ocpp: '2.0.1', sut: 'csms', plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
          outDir, workers: 1, target: url, world: { reference: csms.control }, signal: new AbortController().signal,
        });
        expect(result.cases.map((c) => [c.id, c.verdict, reasonOf(c)])).toEqual(patterns.map((id) => [id, 'pass', undefined]).sort());
        runs.push(stationIdentifiers(outDir));
      }
      const eventIds = runs.flatMap((run) => run.eventIds);
      const transactionIds = runs.flatMap((run) => [...run.transactionIds]);
      expect(eventIds.length).toBeGreaterThanOrEqual(2 * 3);
      expect(transactionIds.length).toBe(2 * 3);
      expect(new Set(eventIds).size).toBe(eventIds.length);
      expect(new Set(transactionIds).size).toBe(transactionIds.length);
      for (const eventId of eventIds) expect(Number.isInteger(eventId) && eventId >= 1 && eventId < 2 ** 31).toBe(true);
    } finally {
      await csms.stop();
    }
  }, 30_000);
});

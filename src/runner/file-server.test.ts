import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../session/index.js';
import { installableVersion } from '../reference/index.js';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { startFileServer, type FileRequest } from './file-server.js';
import { failureOf } from './results.test-support.js';

describe('the run file server', () => {
  it('serves a firmware image and an uninstallable one, stores uploaded logs, and says 404 for anything else', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'oh-files-'));
    const files = await startFileServer({ host: '127.0.0.1', outDir });
    try {
      const firmware = await fetch(files.urls.firmwareUrl);
      expect(firmware.status).toBe(200);
      expect(Buffer.from(await firmware.arrayBuffer())).toEqual(files.firmwareImage);
      expect(installableVersion(files.firmwareImage)).toBe('2.0.0');
      const uninstallable = await fetch(files.urls.uninstallableFirmwareUrl);
      expect(Buffer.from(await uninstallable.arrayBuffer())).toEqual(files.uninstallableFirmwareImage);
      expect(installableVersion(files.uninstallableFirmwareImage)).toBeUndefined();
      expect((await fetch(`${files.urls.firmwareUrl}_does.not.exist`)).status).toBe(404);
      const upload = await fetch(`${files.urls.logUrl}/diagnostics-1.log`, { method: 'PUT', body: 'log line\n' });
      expect(upload.status).toBe(201);
      expect(readFileSync(join(outDir, 'uploads', 'diagnostics-1.log'), 'utf8')).toBe('log line\n');
      const escape = await fetch(`${files.urls.logUrl}/..%2F..%2Fescape.log`, { method: 'POST', body: 'x' });
      expect(escape.status).toBe(201);
      expect(readFileSync(join(outDir, 'uploads', 'escape.log'), 'utf8')).toBe('x');
      expect((await fetch(`${files.urls.url}/nothing`)).status).toBe(404);
      expect(files.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'PUT', 'POST', 'GET']);
    } finally {
      await files.close();
    }
  });

  it('listens on the port it is given (fileServer.port, --file-server-port), so a lab firewall can open it', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const files = await startFileServer({ host: '127.0.0.1', port, outDir: mkdtempSync(join(tmpdir(), 'oh-files-')) });
    try {
      expect(files.urls.firmwareUrl).toBe(`http://127.0.0.1:${port}/firmware/ocpp-harness-firmware.bin`);
      expect((await fetch(files.urls.firmwareUrl)).status).toBe(200);
    } finally {
      await files.close();
    }
  });

  it('serves the same files per SUT identity under /sut/<id>/, reports its requests and keeps its uploads apart; missingLogUrl answers 404', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'oh-files-'));
    const files = await startFileServer({ host: '127.0.0.1', outDir });
    const seen: FileRequest[] = [];
    try {
      const urls = files.scope('CS001-2', (request) => seen.push(request));
      expect(urls.logUrl).toBe(`${files.urls.url}/sut/CS001-2/logs`);
      expect((await fetch(urls.firmwareUrl)).status).toBe(200);
      expect((await fetch(`${urls.logUrl}/diag.log`, { method: 'PUT', body: 'scoped\n' })).status).toBe(201);
      expect(readFileSync(join(outDir, 'uploads', 'CS001-2', 'diag.log'), 'utf8')).toBe('scoped\n');
      expect((await fetch(`${urls.missingLogUrl}/diag.log`, { method: 'PUT', body: 'lost' })).status).toBe(404);
      expect((await fetch(`${files.urls.missingLogUrl}/diag.log`, { method: 'POST', body: 'lost' })).status).toBe(404);
      expect((await fetch(`${files.urls.url}/sut/unknown/logs/x.log`, { method: 'PUT', body: 'x' })).status).toBe(404);
      expect(seen.map(({ method, path, bytes, status, storedAs }) => ({ method, path, bytes, status, storedAs }))).toEqual([
        { method: 'GET', path: '/firmware/ocpp-harness-firmware.bin', bytes: 0, status: 200, storedAs: undefined },
        { method: 'PUT', path: '/logs/diag.log', bytes: 7, status: 201, storedAs: 'uploads/CS001-2/diag.log' },
        { method: 'PUT', path: '/no-such-path/logs/diag.log', bytes: 4, status: 404, storedAs: undefined },
      ]);
      expect(seen[1]!.url).toBe(`${urls.logUrl}/diag.log`);
      // The run-level list has every request, scoped or not.
      expect(files.requests).toHaveLength(5);
    } finally {
      await files.close();
    }
  });

  it('puts the SUT\'s requests into the case trace as http-request events, which assertions count', async () => {
    const steps = (counted: string) => `
  - id: ask
    send: GetLog
    payload: { logType: DiagnosticsLog, requestId: 1, log: { remoteLocation: '{{files.logUrl}}' } }
    match: { status: Accepted }
    checks: [R.1]
  - expect: LogStatusNotification
    match: { status: Uploaded }
  - assert:
      count: { event: http-request, match: { method: PUT, path: /logs/x.log, status: 201, bytes: { $gt: 0 } }, in: [1] }
      since: ask
  - assert:
      none: { event: http-request, match: { status: 404 } }
  - assert:
      count: { action: LogStatusNotification, in: ${counted} }
`;
    const root = writeTree({
      'ocpp2.0.1/core/OH_FILES_02_CS.yaml': caseFile('OH_FILES_02_CS', steps('[2, 4]')),
      'ocpp2.0.1/core/OH_FILES_03_CS.yaml': caseFile('OH_FILES_03_CS', steps('[1, 3]')),
    });
    let station: Session | undefined;
    const result = await runAgainstScript(root, {
      onConnect: (session) => void (station = session),
      onCall: (call) => {
        const location = String((call.payload['log'] as { remoteLocation: string }).remoteLocation);
        setTimeout(async () => {
          await station!.call('LogStatusNotification', { status: 'Uploading', requestId: 1 });
          await fetch(`${location}/x.log`, { method: 'PUT', body: 'log line\n' });
          await station!.call('LogStatusNotification', { status: 'Uploaded', requestId: 1 });
        }, 0);
        return { payload: { status: 'Accepted', filename: 'x.log' } };
      },
    });
    expect(result.cases.map((c) => [c.id, c.verdict])).toEqual([['OH_FILES_02_CS', 'pass'], ['OH_FILES_03_CS', 'fail']]);
    expect(failureOf(result.cases[1])?.expected).toEqual(['1 or 3 × LogStatusNotificationRequest']);
  });

  it('is offered to templates as files.*', async () => {
    const root = writeTree({
      'ocpp2.0.1/core/OH_FILES_01_CS.yaml': caseFile('OH_FILES_01_CS', `
  - send: UpdateFirmware
    payload: { requestId: 1, firmware: { location: '{{files.firmwareUrl}}', retrieveDateTime: '{{now}}' } }
    match: { status: Accepted }
    checks: [R.1]
`),
    });
    let location = '';
    const result = await runAgainstScript(root, {
      onCall: (call) => {
        location = String((call.payload['firmware'] as { location: string }).location);
        return { payload: { status: 'Accepted' } };
      },
    });
    expect(result.cases[0]?.verdict).toBe('pass');
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sut\/CS001\/firmware\/ocpp-harness-firmware\.bin$/);
  });
});

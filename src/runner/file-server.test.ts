import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installableVersion } from '../reference/index.js';
import { caseFile, runAgainstScript, writeTree } from './engine-harness.test-support.js';
import { startFileServer } from './file-server.js';

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
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/firmware\/ocpp-harness-firmware\.bin$/);
  });
});

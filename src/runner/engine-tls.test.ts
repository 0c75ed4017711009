import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/index.js';
import { ReferenceStation, parseFault } from '../reference/index.js';
import { defaultTestcaseRoot } from '../testcase/index.js';
import { planRun } from './select.js';
import { runSuite } from './run-suite.js';
import { loadTestcases } from './testcases.js';

const PASSWORD = 'lab-password-0123456789';

/**
 * A TLS case as a lab runs it (TC_B_50_CS, TC_A_05_CS): the configuration says security profile 2, so the harness's CSMS
 * serves wss and writes the root a station must trust before the run begins; the station (here
 * the reference, started when the run begins) installs that root and connects with Basic auth.
 */
async function runLabCase(caseId: string, faults: string[]): Promise<{ verdict: string; reason?: string; target: string; trustRoot?: string }> {
  const config = resolveConfig({ security: { profile: 2, basicAuthPassword: PASSWORD }, timeouts: { messageMs: 2000, connectMs: 3000, longOperationMs: 3000 } });
  const catalog = loadTestcases(defaultTestcaseRoot());
  const plan = planRun(catalog.cases, { ocpp: '2.0.1', sut: 'cs', modules: [], patterns: [caseId], features: [], evses: 1, securityProfile: 2 });
  let station: ReferenceStation | undefined;
  let begun: { target: string; trustRoot?: string } | undefined;
  try {
    const result = await runSuite({
      ocpp: '2.0.1', sut: 'cs', plan, catalog, config, configHash: 'test', harness: { name: 'ocpp-harness', version: 'test' },
      outDir: mkdtempSync(join(tmpdir(), 'oh-tls-')), listen: { host: '127.0.0.1', port: 0 }, workers: 1, world: {}, signal: new AbortController().signal,
      listener: {
        onRunBegin: ({ target, trustRoot }) => {
          begun = { target, ...(trustRoot ? { trustRoot } : {}) };
          const root = trustRoot && existsSync(trustRoot) ? readFileSync(trustRoot, 'utf8') : '';
          station = new ReferenceStation({
            version: '2.0.1', endpoint: target, stationId: config.stationId, evses: config.evses, security: { profile: 2, basicAuth: { password: PASSWORD }, trustedRoots: { server: [], client: [] } }, faults: faults.map(parseFault),
            certificates: [{ certificateType: 'CSMSRootCertificate', pem: root }],
          });
          void station.start().catch(() => undefined);
        },
      },
    });
    const only = result.cases[0]!;
    return { verdict: only.verdict, ...(only.verdict !== 'pass' ? { reason: only.reason } : {}), target: begun?.target ?? '', ...(begun?.trustRoot ? { trustRoot: begun.trustRoot } : {}) };
  } finally {
    await station?.stop();
  }
}

describe('the harness as CSMS over TLS (security profile 2)', () => {
  it('serves wss, offers the root to trust before the run, and takes a station to its new-root endpoint (TC_B_50_CS)', async () => {
    const clean = await runLabCase('TC_B_50_CS', []);
    expect(clean.target).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    expect(clean.trustRoot).toMatch(/certs\/csmsRoot\.pem$/);
    expect(clean).toMatchObject({ verdict: 'pass' });
    const faulted = await runLabCase('TC_B_50_CS', ['behaviour:trust-delivered-root-only']);
    expect(faulted.verdict).toBe('fail');
    expect(faulted.reason).toMatch(/it connected at ""; meanwhile \d+ TLS handshakes? with the harness failed/);
  }, 60_000);
});

describe('the harness as CSMS presenting invalid server certificates (TC_A_05_CS, A00.FR.311/414)', () => {
  it('passes a station that ends each handshake and reports InvalidCsmsCertificate, fails one that takes an expired certificate', async () => {
    expect(await runLabCase('TC_A_05_CS', [])).toMatchObject({ verdict: 'pass' });
    const lax = await runLabCase('TC_A_05_CS', ['behaviour:accepts-invalid-server-certificate']);
    expect(lax.verdict).toBe('fail');
    expect(lax.reason).toMatch(/A00\.FR\.311\/414: the station refuses a server certificate that is expired .*it accepted it: it sent its upgrade request \(GET \/CS001\) over TLSv1\.[23]/);
  }, 120_000);
});

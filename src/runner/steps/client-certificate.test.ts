import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pki } from '../lab-run.test-support.js';
import type { CaseRun } from '../case-run.js';
import { StepStop } from '../step-stop.js';
import { judgeClientCertificate } from './client-certificate.js';

// A02.FR.08: after a renewal the station connects with its new certificate. The step names it (PEM
// or SHA-256 fingerprint); the judgement compares it with what the TLS handshake recorded.

/** A case run whose link recorded this TLS handshake (or none); templates render to themselves. */
function runWith(peer: { pem: string } | 'none' | 'no-tls'): CaseRun {
  const x509 = typeof peer === 'object' ? new X509Certificate(peer.pem) : undefined;
  const tls = peer === 'no-tls' ? undefined : {
    ...(x509 ? { peerCertificate: { subject: x509.subject.replace(/\n/g, ', '), issuer: x509.issuer.replace(/\n/g, ', '), validFrom: x509.validFrom, validTo: x509.validTo, serialNumber: x509.serialNumber, fingerprintSha256: x509.fingerprint256 } } : {}),
  };
  return { render: (template: string) => template, env: { link: { handshake: tls ? { tls } : {} } } } as unknown as CaseRun;
}

function stopOf(action: () => unknown): StepStop {
  try {
    action();
  } catch (stop) {
    if (stop instanceof StepStop) return stop;
    throw stop;
  }
  throw new Error('the judgement passed');
}

describe('clientCertificate of a connection step, harness as CSMS (A02.FR.08)', () => {
  const renewed = pki().certificate('csmsRoot2').certificatePem;
  const old = pki().certificate('csmsRoot').certificatePem;

  it('passes the certificate the step names, given as PEM or as its SHA-256 fingerprint, and says which it was', () => {
    expect(judgeClientCertificate(renewed, runWith({ pem: renewed }))).toMatch(/^; with the client certificate the step names \(".+", serial [0-9A-F]+\)$/);
    expect(judgeClientCertificate(new X509Certificate(renewed).fingerprint256, runWith({ pem: renewed }))).toMatch(/^; with the client certificate/);
    expect(judgeClientCertificate(undefined, runWith('none'))).toBe('');
  });

  it('fails another certificate, naming both; no certificate and no TLS fail too', () => {
    const other = stopOf(() => judgeClientCertificate(renewed, runWith({ pem: old })));
    expect(other.verdict).toBe('fail');
    expect(other.actual).toMatch(new RegExp(`^it presented another: .+ SHA-256 ${new X509Certificate(old).fingerprint256}$`));
    expect(other.expected[0]).toContain('the station presents the client certificate');
    expect(stopOf(() => judgeClientCertificate(renewed, runWith('none')))).toMatchObject({ verdict: 'fail', actual: 'it presented no client certificate' });
    expect(stopOf(() => judgeClientCertificate(renewed, runWith('no-tls')))).toMatchObject({ verdict: 'fail', actual: 'it connected without TLS' });
  });

  it('a step naming neither a PEM certificate nor a fingerprint is the harness\'s error, not the station\'s fail', () => {
    expect(stopOf(() => judgeClientCertificate('not a certificate', runWith({ pem: renewed })))).toMatchObject({ verdict: 'error' });
  });
});

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyedCertificate } from './certificate-factory.js';
import { issuerOf, TestPki, type TestCertificateName } from './test-pki.js';

/**
 * A test PKI kept in a directory across runs (`--pki DIR`): the certificates found there
 * (`<name>.pem` with `<name>.key.pem`) are used as they are, the missing ones are issued on first
 * use and written there at once. A lab installs the roots on its devices once, and a separately
 * started reference station (`simulate station --pki DIR`) trusts the same roots as the run.
 */
export function openTestPki(directory: string): TestPki {
  const read = (name: TestCertificateName): KeyedCertificate | undefined => {
    const certificatePath = join(directory, `${name}.pem`);
    const keyPath = join(directory, `${name}.key.pem`);
    if (!existsSync(certificatePath) || !existsSync(keyPath)) return undefined;
    return { certificatePem: readFileSync(certificatePath, 'utf8'), privateKeyPem: readFileSync(keyPath, 'utf8') };
  };
  return new TestPki({
    // Read when first needed, not when opened: a station simulator and a run sharing the folder
    // see each other's certificates. A leaf whose issuer is gone is issued again with its issuer.
    load: (name) => {
      const issuer = issuerOf(name);
      return issuer && !read(issuer) ? undefined : read(name);
    },
    onIssued: (name, issued) => {
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, `${name}.pem`), issued.certificatePem);
      writeFileSync(join(directory, `${name}.key.pem`), issued.privateKeyPem, { mode: 0o600 });
    },
  });
}

import { findState, type Catalog, type TestCase } from '../testcase/index.js';

const PKI_TEMPLATE = /\{\{[^}]*\bpki\./;

/**
 * Whether a case reads the test PKI (`{{pki.…}}`), in its own steps or in a state it uses, at
 * any depth. Issuing a certificate generates an RSA key and signs on the event loop, which took
 * seconds on a loaded 2-core host: mid-case, that starved the other lanes' timers and answers
 * (TC_M_02_CS failed with "no answer within 5000 ms" from a reference that had been waiting to run).
 */
export function readsPki(testCase: TestCase, catalog: Catalog): boolean {
  const seen = new Set<string>();
  const reads = (source: object): boolean => {
    if (PKI_TEMPLATE.test(JSON.stringify(source))) return true;
    for (const name of statesUsedIn(source)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const state = findState(catalog, testCase.ocpp, testCase.sut, name);
      if (state && reads(state)) return true;
    }
    return false;
  };
  return reads(testCase);
}

/** The names of the states that `use` steps anywhere in `source` call. */
function statesUsedIn(source: object): string[] {
  const names: string[] = [];
  const pending: unknown[] = [source];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    const step = value as { kind?: unknown; state?: unknown };
    if (step.kind === 'use' && typeof step.state === 'string') names.push(step.state);
    pending.push(...Object.values(value));
  }
  return names;
}

/**
 * Issues every certificate and signature templates can read, before the first case starts, when
 * some case will read one: the cost is paid while nothing is on the wire. A run that reads no
 * certificate still pays nothing.
 */
export function preparePki(pkiView: Record<string, unknown>, cases: readonly TestCase[], catalog: Catalog): void {
  if (!cases.some((testCase) => readsPki(testCase, catalog))) return;
  for (const name of Object.keys(pkiView)) void pkiView[name];
}

import { findState, type Catalog, type TestCase } from '../testcase/index.js';

/** `{{pki.<name>…}}` anywhere in a template, also inside a helper call (`{{add pki.x 1}}`). */
const PKI_TEMPLATE = /\{\{[^}]*?\bpki\.(\w+)/g;

/**
 * The names a case reads from the test PKI (`{{pki.<name>…}}`), in its own steps or in a state it
 * uses, at any depth. Issuing a certificate generates an RSA key and signs on the event loop, which
 * took seconds on a loaded 2-core host: mid-case, that starved the other lanes' timers and answers
 * (TC_M_02_CS failed with "no answer within 5000 ms" from a reference that had been waiting to run).
 */
export function pkiNamesRead(testCase: TestCase, catalog: Catalog): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (source: object): void => {
    for (const [, name] of JSON.stringify(source).matchAll(PKI_TEMPLATE)) names.add(name!);
    for (const stateName of statesUsedIn(source)) {
      if (seen.has(stateName)) continue;
      seen.add(stateName);
      const state = findState(catalog, testCase.ocpp, testCase.sut, stateName);
      if (state) collect(state);
    }
  };
  collect(testCase);
  return names;
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
 * Issues the certificates and signatures the cases will read before the first case starts, so the
 * cost is paid while nothing is on the wire. A run that reads no certificate still pays nothing.
 */
export function preparePki(pkiView: Record<string, unknown>, cases: readonly TestCase[], catalog: Catalog): void {
  const names = new Set(cases.flatMap((testCase) => [...pkiNamesRead(testCase, catalog)]));
  for (const name of names) void pkiView[name];
}

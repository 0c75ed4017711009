import { describe, expect, it } from 'vitest';
import { loadCatalog, writeScratchTree } from '../testcase/index.js';
import { STEP_KINDS } from './steps/index.js';
import { pkiNamesRead, preparePki } from './pki-preparation.js';

const header = (id: string) => `id: ${id}\ntitle: t\nocpp: 2.0.1\nsut: cs\nmodule: core\npurpose: p\nrequirements:\n  R.1: r\nsteps:\n`;

function catalogOf() {
  const root = writeScratchTree({
    'ocpp2.0.1/_defaults.yaml': "ocpp: '2.0.1'\n",
    'ocpp2.0.1/core/TC_X_01_CS.yaml': `${header('TC_X_01_CS')}  - send: InstallCertificate\n    payload: { certificateType: CSMSRootCertificate, certificate: '{{pki.csmsRoot2.pem}}' }\n    checks: [R.1]\n`,
    'ocpp2.0.1/core/TC_X_02_CS.yaml': `${header('TC_X_02_CS')}  - use: Outer\n    checks: [R.1]\n`,
    'ocpp2.0.1/core/TC_X_03_CS.yaml': `${header('TC_X_03_CS')}  - expect: Heartbeat\n    checks: [R.1]\n  - use: Plain\n`,
    'ocpp2.0.1/states/cs/Outer.yaml': 'state: Outer\ndescription: d\nsteps:\n  - use: Inner\n',
    'ocpp2.0.1/states/cs/Inner.yaml': "state: Inner\ndescription: d\nparams:\n  certificate: '{{pki.manufacturerRoot2.pem}}'\nsteps:\n  - expect: Heartbeat\n",
    'ocpp2.0.1/states/cs/Plain.yaml': 'state: Plain\ndescription: d\nsteps:\n  - expect: Heartbeat\n',
  });
  const catalog = loadCatalog(root, STEP_KINDS);
  expect(catalog.problems).toEqual([]);
  return catalog;
}

describe('the test PKI is issued before the first case that reads it', () => {
  it('a case reads the PKI in its own steps or through a state it uses, at any depth', () => {
    const catalog = catalogOf();
    const reads = Object.fromEntries(catalog.cases.map((testCase) => [testCase.id, [...pkiNamesRead(testCase, catalog)]]));
    expect(reads).toEqual({ TC_X_01_CS: ['csmsRoot2'], TC_X_02_CS: ['manufacturerRoot2'], TC_X_03_CS: [] });
  });

  it('the names the cases read are issued, no other, and none when no case reads one', () => {
    const catalog = catalogOf();
    const read: string[] = [];
    const view: Record<string, unknown> = {};
    for (const name of ['csmsRoot', 'csmsRoot2', 'manufacturerRoot2', 'firmwareSignature']) Object.defineProperty(view, name, { enumerable: true, get: () => read.push(name) });
    preparePki(view, catalog.cases.filter((testCase) => testCase.id === 'TC_X_03_CS'), catalog);
    expect(read).toEqual([]);
    preparePki(view, catalog.cases, catalog);
    expect(read.sort()).toEqual(['csmsRoot2', 'manufacturerRoot2']);
  });
});

import { describe, expect, it } from 'vitest';
import { writeScratchTree } from '../testcase/index.js';
import { loadTestcases } from './testcases.js';

const caseText = (id: string, extra = '') => `id: ${id}\ntitle: t\n${extra}steps:\n  - send: Heartbeat\n    payload: {}\n`;

describe('folder defaults', () => {
  it('fill the header fields a case leaves out; the deeper folder and the file itself win', () => {
    const root = writeScratchTree({
      'ocpp2.0.1/_defaults.yaml': "ocpp: '2.0.1'\nmodule: wrong\n",
      'ocpp2.0.1/core/_defaults.yaml': 'module: core\nprofiles: [{ name: Core, conformance: mandatory }]\n',
      'ocpp2.0.1/core/TC_X_01_CS.yaml': caseText('TC_X_01_CS'),
      'ocpp2.0.1/core/TC_X_02_CSMS.yaml': caseText('TC_X_02_CSMS', 'profiles: []\n'),
    });
    const catalog = loadTestcases(root);
    expect(catalog.problems).toEqual([]);
    const [first, second] = catalog.cases;
    expect(first).toMatchObject({ id: 'TC_X_01_CS', ocpp: '2.0.1', module: 'core', sut: 'cs', profiles: [{ name: 'Core', conformance: 'mandatory' }] });
    expect(second).toMatchObject({ id: 'TC_X_02_CSMS', sut: 'csms', profiles: [] });
  });

  it('name a field a folder may not default, at its line', () => {
    const root = writeScratchTree({
      'ocpp2.0.1/_defaults.yaml': "ocpp: '2.0.1'\nsteps: []\n",
      'ocpp2.0.1/core/TC_X_01_CS.yaml': caseText('TC_X_01_CS', 'module: core\n'),
    });
    const problems = loadTestcases(root).problems;
    expect(problems).toEqual([expect.objectContaining({ file: `${root}/ocpp2.0.1/_defaults.yaml`, line: 2, path: 'steps', message: expect.stringContaining('may set only ocpp, sut, module, profiles') })]);
  });
});

describe('the requirement catalogue', () => {
  const tree = (listed: string) => writeScratchTree({
    'ocpp2.0.1/_defaults.yaml': "ocpp: '2.0.1'\nmodule: core\n",
    'ocpp2.0.1/_requirements.yaml': 'B01.FR.01: The station announces itself.\n',
    'ocpp2.0.1/core/TC_X_01_CS.yaml': `id: TC_X_01_CS\ntitle: t\nrequirements: ${listed}\nsteps:\n  - send: Heartbeat\n    payload: {}\n    checks: [B01.FR.01]\n`,
  });

  it('gives a case that lists ids their paraphrases', () => {
    const catalog = loadTestcases(tree('[B01.FR.01]'));
    expect(catalog.problems).toEqual([]);
    expect(catalog.cases[0]!.requirements).toEqual({ 'B01.FR.01': 'The station announces itself.' });
  });

  it('names an id the catalogue lacks, at its line, once', () => {
    const root = tree('[B01.FR.01,\n  B99.FR.09]');
    const problems = loadTestcases(root).problems;
    expect(problems).toEqual([expect.objectContaining({ line: 4, path: 'requirements[1]', message: expect.stringContaining('requirement B99.FR.09 is not in') })]);
  });
});

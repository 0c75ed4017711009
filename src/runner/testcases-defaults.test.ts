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

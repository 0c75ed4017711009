import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../config/index.js';
import { OCPP_VERSIONS } from '../protocol/index.js';
import { STANDARD_ACTIONS, type StandardActionName } from './adapters/index.js';
import { labConfigTemplate } from './lab-config-template.js';

const directory = mkdtempSync(join(tmpdir(), 'oh-init-'));
let written = 0;
function load(text: string) {
  const file = join(directory, `lab-${written++}.yaml`);
  writeFileSync(file, text);
  return loadConfigFile(file).config;
}

describe('the lab configuration `ocpp-harness init` writes', () => {
  for (const sut of ['cs', 'csms'] as const) {
    for (const ocpp of OCPP_VERSIONS) {
      it(`sut ${sut}, OCPP ${ocpp}: loads as written, with a prompt stub for every device action of the role`, () => {
        const text = labConfigTemplate({ sut, ocpp });
        const config = load(text);
        expect(config.ocpp).toBe(ocpp);
        const ofRole = (Object.keys(STANDARD_ACTIONS) as StandardActionName[]).filter((name) => STANDARD_ACTIONS[name].side === sut);
        expect(Object.keys(config.adapters.actions).sort()).toEqual([...ofRole].sort());
        for (const name of ofRole) expect(config.adapters.actions[name]).toEqual({ kind: 'prompt' });
      });
    }
  }

  it('the automated forms shown beside each stub load too, once uncommented in its place', () => {
    const text = labConfigTemplate({ sut: 'cs', ocpp: '2.0.1' });
    for (const name of ['plugIn', 'presentIdToken', 'reboot'] as const) {
      for (const kind of ['command', 'http'] as const) {
        const form = new RegExp(`^ {4}# {3}(${name}: \\{ kind: ${kind},.*)$`, 'm').exec(text)?.[1];
        expect(form, `${name} ${kind}`).toBeDefined();
        const config = load(text.replace(`    ${name}: { kind: prompt }`, `    ${form}`));
        expect(config.adapters.actions[name]).toMatchObject({ kind });
      }
    }
  });
});

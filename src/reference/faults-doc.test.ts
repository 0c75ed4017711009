import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSMS_BEHAVIOUR_FAULTS, RPC_BEHAVIOUR_FAULTS, STATION_BEHAVIOUR_FAULTS } from './index.js';

describe('docs/faults.md', () => {
  it('documents every behaviour fault of both references', () => {
    const doc = readFileSync(new URL('../../docs/faults.md', import.meta.url), 'utf8');
    for (const name of [...Object.keys(STATION_BEHAVIOUR_FAULTS), ...Object.keys(CSMS_BEHAVIOUR_FAULTS), ...Object.keys(RPC_BEHAVIOUR_FAULTS)]) expect(doc).toContain(`| \`${name}\` |`);
  });
});

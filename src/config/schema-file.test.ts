import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchemaText, loadConfigFile } from './index.js';

describe('configuration schema and example', () => {
  it('docs/schemas/config.schema.json is the schema the code uses (regenerate: ocpp-harness schema config)', () => {
    expect(readFileSync(new URL('../../docs/schemas/config.schema.json', import.meta.url), 'utf8')).toBe(configJsonSchemaText());
  });

  it('the documented example configuration loads', () => {
    const { config } = loadConfigFile(new URL('../../fixtures/config/example.yaml', import.meta.url).pathname);
    expect(config.stationId).toBe('LAB-AC-22KW-01');
  });
});

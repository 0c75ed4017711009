import { loadCatalog, testcaseJsonSchema, yamlFilesUnder, type Catalog } from '../testcase/index.js';
import { STEP_KINDS } from './steps/index.js';

/** JSON Schema of test-case and reusable-state files with the registered step kinds (docs/schemas/testcase.schema.json). */
export const TESTCASE_JSON_SCHEMA = testcaseJsonSchema(STEP_KINDS);

/** Loads every test case and reusable state under `root`, read with the registered step kinds; `checkCatalog` checks it. */
export function loadTestcases(root: string, files: string[] = yamlFilesUnder(root)): Catalog {
  return loadCatalog(root, STEP_KINDS, files);
}

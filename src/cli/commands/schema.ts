import { Argument, type Command } from 'commander';
import { TESTCASE_JSON_SCHEMA, configJsonSchemaText } from '../../api.js';

/** Registers `ocpp-harness schema testcase|config`: prints a JSON Schema (docs/schemas/ holds copies for editors). */
export function registerSchemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of test-case files or of the configuration file')
    .addArgument(new Argument('<which>', 'which schema').choices(['testcase', 'config']))
    .action((which: 'testcase' | 'config') => {
      process.stdout.write(which === 'config' ? configJsonSchemaText() : `${JSON.stringify(TESTCASE_JSON_SCHEMA, null, 2)}\n`);
    });
}

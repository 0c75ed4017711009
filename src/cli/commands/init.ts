import { existsSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { OCPP_VERSIONS, labConfigTemplate, type OcppVersion, type Sut } from '../../api.js';
import { UsageError } from '../usage-error.js';

interface InitFlags {
  sut: Sut;
  ocpp: OcppVersion;
  force?: boolean;
}

/** Registers `ocpp-harness init [FILE]`: writes a commented lab configuration to start from. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented lab configuration (station id, layout, tokens, security, one adapter stub per device action) that run and list accept')
    .argument('[file]', 'where to write it', 'ocpp-harness.yaml')
    .addOption(new Option('--sut <role>', 'what the lab tests: cs (a charging station) or csms').choices(['cs', 'csms']).default('cs'))
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(OCPP_VERSIONS).default('2.0.1'))
    .option('--force', 'overwrite the file when it is there')
    .addHelpText('after', '\nExample: ocpp-harness init lab.yaml --sut cs --ocpp 2.0.1 && ocpp-harness list --config lab.yaml')
    .action((file: string, flags: InitFlags) => {
      // A lab's edited configuration is not overwritten by accident.
      if (existsSync(file) && !flags.force) throw new UsageError(`${file}: already there; --force overwrites it`);
      writeFileSync(file, labConfigTemplate({ sut: flags.sut, ocpp: flags.ocpp }));
      const sutFlags = flags.sut === 'csms' ? ' --sut csms' : '';
      process.stdout.write(`wrote ${file} (OCPP ${flags.ocpp}, sut ${flags.sut}): fill in the station id, layout, tokens, security and adapters, then\n  ocpp-harness list --config ${file}${sutFlags}\n  ocpp-harness run --config ${file}${sutFlags}${flags.sut === 'csms' ? ' --target ws://CSMS-HOST:PORT/PATH' : ''}\n`);
    });
}

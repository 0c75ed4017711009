import { Argument, Option, type Command } from 'commander';
import { OCPP_VERSIONS, loadRunConfig, simulateCsms, simulateStation, type OcppVersion, type Simulation } from '../../api.js';
import { UsageError, makeOutDir, parseListen, parseTarget } from '../usage-error.js';

interface SimulateFlags {
  ocpp: OcppVersion;
  target?: string;
  listen: string;
  control: string;
  config?: string;
  stationId?: string;
  pki?: string;
  rebootDelay?: string;
}

/** Registers `ocpp-harness simulate station|csms`: a reference implementation on its own, controlled over HTTP. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('run the built-in reference station or CSMS on its own, with its control API over HTTP')
    .addArgument(new Argument('<role>', 'which reference').choices(['station', 'csms']))
    .addOption(new Option('--ocpp <version>', 'OCPP version').choices(OCPP_VERSIONS).default('2.0.1'))
    .addOption(new Option('--target <url>', 'station: the CSMS endpoint, ws:// or wss:// (the station id is appended)').argParser(parseTarget))
    .option('--listen <host:port>', 'csms: where it listens', '127.0.0.1:9000')
    .option('--control <host:port>', 'where the control API listens (POST /actions/<name>)', '127.0.0.1:9100')
    .option('--config <file>', 'configuration (station id, EVSEs, tokens, password)')
    .option('--station-id <id>', 'station identity')
    .option('--reboot-delay <ms>', 'station: how long a reboot or Reset keeps it away (default: simulate.rebootDelayMs of the config, 2000)')
    .option('--pki <dir>', 'the test PKI kept in this folder (the one runs use with --pki): station: trust its roots; csms: from security profile 2 serve wss with a certificate of its csmsRoot')
    .addHelpText('after', '\nExample: ocpp-harness simulate csms --ocpp 1.6 --listen 127.0.0.1:9000\n         curl -X POST \'http://127.0.0.1:9100/actions/csmsSend?wait=true\' -d \'{"action":"Reset"}\'\n         curl http://127.0.0.1:9100/status')
    .action((role: 'station' | 'csms', flags: SimulateFlags) => simulate(role, flags));
}

function wholeMs(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: a whole number of milliseconds, not "${text}"`);
  return Number(text);
}

async function simulate(role: 'station' | 'csms', flags: SimulateFlags): Promise<void> {
  const { config } = loadRunConfig(flags.config, {
    ...(flags.stationId !== undefined ? { stationId: flags.stationId } : {}), ocpp: flags.ocpp,
    ...(flags.rebootDelay !== undefined ? { simulate: { rebootDelayMs: wholeMs(flags.rebootDelay, '--reboot-delay') } } : {}),
  });
  const control = parseListen(flags.control, '--control');
  const pki = flags.pki ? { pkiDirectory: makeOutDir(flags.pki, '--pki') } : {};
  let simulation: Simulation;
  if (role === 'station') {
    if (!flags.target) throw new UsageError('--target: needed to simulate a station, e.g. --target ws://127.0.0.1:9000/ocpp');
    simulation = await simulateStation({ ocpp: flags.ocpp, target: flags.target, config, control, ...pki });
  } else {
    simulation = await simulateCsms({ ocpp: flags.ocpp, listen: parseListen(flags.listen), config, control, ...pki });
  }
  const upgrade = simulation.upgradeUrl ? `; upgraded stations, one security profile up, at ${simulation.upgradeUrl}/<stationId>` : '';
  const what = role === 'station' ? `reference station connected to ${simulation.url}` : `reference CSMS listening at ${simulation.url} (stations connect to ${simulation.url}/<stationId>${upgrade})`;
  process.stdout.write(`${what}\ncontrol API: ${simulation.controlUrl}/actions (${simulation.control.actions.join(', ')})\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await simulation.stop();
}

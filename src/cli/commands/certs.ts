import { join } from 'node:path';
import { Argument, Option, type Command } from 'commander';
import { DEFAULT_OPERATOR, describeLabPki, initLabPki, issueLabCertificate, type LabCertificateInfo, type LabFile } from '../../api.js';
import { makeOutDir, UsageError } from '../usage-error.js';

const DEFAULT_DIR = 'certs';
const KEY_FAMILIES = { rsa: 'RSA-2048', ecdsa: 'ECDSA-P256' } as const;

interface InitFlags { host: string[]; station: string[]; operator: string }
interface IssueFlags { dir: string; key: keyof typeof KEY_FAMILIES; operator: string; force?: boolean }

/** A repeatable flag that takes a non-empty value each time. */
function collect(flag: string) {
  return (value: string, previous: string[]) => [...previous, nonEmpty(flag)(value)];
}

function nonEmpty(flag: string) {
  return (value: string): string => {
    if (value.trim() === '') throw new UsageError(`${flag}: must not be empty`);
    return value;
  };
}

/** Registers `ocpp-harness certs init|show|issue`: a lab's test PKI in a folder. */
export function registerCertsCommand(program: Command): void {
  const certs = program
    .command('certs')
    .description('a test PKI for a lab: roots to install on devices, CSMS server and station certificates (RSA and ECDSA), firmware signing, invalid variants');
  certs
    .command('init')
    .description('create the lab PKI in DIR (or complete it: what is there is kept); keys are written with mode 0600 and stay there')
    .argument('[dir]', 'the PKI folder (the one run and simulate take with --pki)', DEFAULT_DIR)
    .option('--host <name>', 'a host name or address the CSMS is reached by, besides 127.0.0.1 and localhost (repeatable; the first is the server certificate\'s CN)', collect('--host'), [])
    .option('--station <id>', 'a station identity to issue a certificate for, its CN (repeatable; default CS001)', collect('--station'), [])
    .option('--operator <name>', 'the O of station certificates: the operator (SecurityCtrlr.OrganizationName)', nonEmpty('--operator'), DEFAULT_OPERATOR)
    .addHelpText('after', '\nExample: ocpp-harness certs init certs --host csms.lab.example --station CS001 && ocpp-harness certs show certs')
    .action((dir: string, flags: InitFlags) => {
      const files = initLabPki(makeOutDir(dir, 'DIR'), { hosts: flags.host, ...(flags.station.length > 0 ? { stations: flags.station } : {}), operator: flags.operator });
      process.stdout.write(`${listing(files)}\n`);
      process.stdout.write(`install ${join(dir, 'csmsRoot.pem')} (RSA) or ${join(dir, 'csmsRootEcdsa.pem')} (ECDSA) on the station as its CSMSRootCertificate, and ${join(dir, 'manufacturerRoot.pem')} as its ManufacturerRootCertificate; then run with --pki ${dir}\n`);
    });
  certs
    .command('show')
    .description('list the certificates of the lab PKI: subject, issuer, validity, key, SHA-256 fingerprint, purpose (never a key)')
    .argument('[dir]', 'the PKI folder', DEFAULT_DIR)
    .option('--json', 'as JSON')
    .action((dir: string, flags: { json?: boolean }) => {
      const listed = describeLabPki(dir);
      process.stdout.write(flags.json ? `${JSON.stringify(listed, null, 2)}\n` : listed.map(describe).join('\n\n') + '\n');
    });
  certs
    .command('issue')
    .description('issue one more station or CSMS server certificate from the roots of the lab PKI')
    .addArgument(new Argument('<kind>', 'what to issue').choices(['station', 'server']))
    .argument('<names...>', 'station: the station identities (one certificate each); server: the host names or addresses (one certificate for all)')
    .option('--dir <dir>', 'the PKI folder', DEFAULT_DIR)
    .addOption(new Option('--key <family>', 'key family').choices(Object.keys(KEY_FAMILIES)).default('rsa'))
    .option('--operator <name>', 'station: the O of the certificate', nonEmpty('--operator'), DEFAULT_OPERATOR)
    .option('--force', 'issue it again when the file is there')
    .addHelpText('after', '\nExample: ocpp-harness certs issue station CS002 --key ecdsa')
    .action((kind: 'station' | 'server', names: string[], flags: IssueFlags) => {
      names.forEach((name) => nonEmpty(kind === 'station' ? 'station identity' : 'host')(name));
      const keyAlgorithm = KEY_FAMILIES[flags.key];
      const files = kind === 'station'
        ? names.map((identity) => issueLabCertificate(flags.dir, { kind, identity, operator: flags.operator }, keyAlgorithm, flags.force))
        : [issueLabCertificate(flags.dir, { kind, hosts: names }, keyAlgorithm, flags.force)];
      process.stdout.write(`${listing(files)}\n`);
      if (files.some((file) => file.status === 'kept')) process.stdout.write('(--force issues a kept one again)\n');
    });
}

function listing(files: readonly LabFile[]): string {
  return files.map((file) => `${file.status === 'issued' ? 'issued' : 'kept  '} ${file.path}`).join('\n');
}

function describe(entry: LabCertificateInfo): string {
  return [
    `${entry.file}: ${entry.purpose}`,
    `  subject   ${entry.subject}`,
    `  issuer    ${entry.issuer}`,
    `  validity  ${entry.notBefore} to ${entry.notAfter} (${entry.state})`,
    `  key       ${entry.key}${entry.keyFile ? `, private key in ${entry.keyFile.name} (mode ${entry.keyFile.mode})` : ''}`,
    `  SHA-256   ${entry.sha256}`,
  ].join('\n');
}

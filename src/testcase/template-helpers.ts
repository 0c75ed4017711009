import { randomUUID } from 'node:crypto';
import { certificateForCsr, CSR_CERTIFICATE_VARIANTS, issuingKeyOf, type CsrCertificateVariant, type KeyedCertificate } from '../pki/index.js';
import { RUN_UNIQUE_INTEGERS } from './unique-integers.js';

type Helper = (...args: unknown[]) => unknown;

const MAX_LISTED_KEYS = 12;

/** The helpers of case and adapter templates that compute a value from their arguments. */
export const VALUE_HELPERS: Record<string, Helper> = {
  addSeconds: (time, seconds) => new Date(timeArgument('addSeconds', time) + numberArgument('addSeconds', seconds) * 1000).toISOString(),
  add: (a, b) => numberArgument('add', a) + numberArgument('add', b),
  multiply: (a, b) => numberArgument('multiply', a) * numberArgument('multiply', b),
  json: (value) => JSON.stringify(value) ?? 'null',
  string: (value) => String(value),
  // Comparing and choosing, for values a case reads from the station (e.g. the slot in use).
  eq: (a, b) => String(a) === String(b),
  choose: (condition, whenTrue, whenFalse) => (condition ? whenTrue : whenFalse),
  uuid: () => randomUUID(),
  // A lab's tables (`config.tables`) map OCPP names onto its API, e.g. an action onto a route.
  lookup: (table, key) => entryOf(table, key),
  // Case conversions for APIs named in another style: RequestStartTransaction → requestStartTransaction, request-start-transaction.
  lowerCamel: (value) => lowerCamel(stringArgument('lowerCamel', value)),
  kebab: (value) => kebab(stringArgument('kebab', value)),
  // A fresh integer of a named series on every use, unique across cases and runs (an eventId).
  nextUnique: (series) => RUN_UNIQUE_INTEGERS.next(nameArgument('nextUnique', series)),
  // Harness as CSMS: the certificate a test PKI certificate gives the station's CSR (A02.FR.06), or an invalid one (A02.FR.07).
  signCsr: (csr, issuer, variant) => signedOnce(stringArgument('signCsr', csr), issuerArgument(issuer), variantArgument(variant)),
};

/**
 * One certificate per CSR, issuer and variant: a later step that renders the same signCsr gets the
 * very certificate an earlier one sent, so a case can require the station to connect with it
 * (A02.FR.08, TC_074_CS). A CSR carries a fresh key, so the few kept never meet another case's.
 */
const signedCertificates = new Map<string, string>();
const MAX_SIGNED_CERTIFICATES = 64;

function signedOnce(csr: string, issuer: KeyedCertificate, variant: CsrCertificateVariant): string {
  const key = `${variant}\n${issuer.certificatePem}\n${csr}`;
  const known = signedCertificates.get(key);
  if (known !== undefined) return known;
  const certificate = certificateForCsr(csr, issuer, variant);
  signedCertificates.set(key, certificate);
  if (signedCertificates.size > MAX_SIGNED_CERTIFICATES) signedCertificates.delete(signedCertificates.keys().next().value!);
  return certificate;
}

function issuerArgument(value: unknown): KeyedCertificate {
  const issuer = issuingKeyOf(value);
  if (!issuer) throw new Error(`signCsr signs with a certificate of the test PKI, e.g. pki.csmsRoot (unknown CA: pki.unknownRoot); got ${JSON.stringify(value)?.slice(0, 60)}`);
  return issuer;
}

function variantArgument(value: unknown): CsrCertificateVariant {
  if (value === undefined) return 'valid';
  if ((CSR_CERTIFICATE_VARIANTS as readonly unknown[]).includes(value)) return value as CsrCertificateVariant;
  throw new Error(`signCsr's variant is one of ${CSR_CERTIFICATE_VARIANTS.join(', ')}; got ${JSON.stringify(value)}`);
}

function entryOf(table: unknown, key: unknown): unknown {
  if (typeof table !== 'object' || table === null) throw new Error(`lookup needs a table (an object), got ${JSON.stringify(table)}`);
  const name = String(key);
  if (Object.hasOwn(table, name)) return (table as Record<string, unknown>)[name];
  throw new Error(`lookup: the table has no entry "${name}" (it has: ${listedKeys(table) || 'nothing'})`);
}

/** Splits a name into words at case changes, digits and separators: `Get15118EVCertificate` → Get15118, EV, Certificate. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s_\-.]+/).filter(Boolean);
}

function lowerCamel(name: string): string {
  return wordsOf(name).map((word, index) => (index === 0 ? word.toLowerCase() : `${word.charAt(0).toUpperCase()}${word.slice(1)}`)).join('');
}

function kebab(name: string): string {
  return wordsOf(name).map((word) => word.toLowerCase()).join('-');
}

function timeArgument(helper: string, time: unknown): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === 'string' ? Date.parse(time) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${helper} needs an ISO 8601 time, got ${JSON.stringify(time)}`);
  return ms;
}

function nameArgument(helper: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${helper} needs a name, got ${JSON.stringify(value)}`);
  return value;
}

function stringArgument(helper: string, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`${helper} needs a string, got ${JSON.stringify(value)}`);
  return value;
}

function numberArgument(helper: string, value: unknown): number {
  // Captured OCPP 1.6 values are often decimal strings ("12.5"); they count as numbers.
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new Error(`${helper} needs numbers, got ${JSON.stringify(value)}`);
  return number;
}

/** The keys of an object for a message, the first few when there are many. */
export function listedKeys(value: object): string {
  const keys = Object.keys(value);
  return keys.length > MAX_LISTED_KEYS ? `${keys.slice(0, MAX_LISTED_KEYS).join(', ')}, …` : keys.join(', ');
}

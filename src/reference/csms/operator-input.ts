import type { Payload } from '../../protocol/index.js';
import { hashDataNames, rootCertificateProblem, sameCertificate, type CertificateHashData } from '../../pki/index.js';
import type { CallOutcome } from '../../session/index.js';

/**
 * The certificates a CSMS knows of one station: those it handed the station to install, and the
 * hash data the station reported in GetInstalledCertificateIds answers.
 */
export interface KnownCertificates {
  installed: string[];
  reported: CertificateHashData[];
}

/**
 * Why the reference CSMS refuses the data an operator gives for a request, as a CSMS that checks
 * its input does (a real one answers its API call with an error): a certificate to install that is
 * no X.509 certificate, a firmware location that is no URL or a signing certificate that does not
 * parse, hash data to delete by that name no certificate it knows, or a network profile whose CSMS
 * URL no station could reach. Undefined when it is fine.
 */
export function operatorInputProblem(action: string, payload: Payload, known: KnownCertificates): string | undefined {
  switch (action) {
    case 'InstallCertificate': return certificateInputProblem('the certificate to install', payload['certificate']);
    case 'UpdateFirmware':
    case 'SignedUpdateFirmware': return firmwareInputProblem(payload['firmware']);
    case 'DeleteCertificate': return deleteInputProblem(payload['certificateHashData'], known);
    case 'SetNetworkProfile': return networkProfileInputProblem(payload['connectionData']);
    default: return undefined;
  }
}

/** Keeps what a request and its answer teach the CSMS about the station's certificates. */
export function learnCertificates(known: KnownCertificates, action: string, payload: Payload, outcome: CallOutcome): void {
  if (outcome.kind !== 'result') return;
  const accepted = outcome.payload['status'] === 'Accepted';
  if (action === 'InstallCertificate' && accepted && typeof payload['certificate'] === 'string') known.installed.push(payload['certificate']);
  if (action !== 'GetInstalledCertificateIds') return;
  for (const hashData of reportedHashData(outcome.payload)) {
    if (isWellFormedHashData(hashData)) known.reported.push(hashData);
  }
}

// 2.0.1 reports each certificate in certificateHashDataChain; the 1.6 security whitepaper lists the hash data themselves (§5.8).
function reportedHashData(answer: Payload): unknown[] {
  const chain = answer['certificateHashDataChain'];
  if (Array.isArray(chain)) return chain.map((entry) => (entry as { certificateHashData?: unknown }).certificateHashData);
  const list = answer['certificateHashData'];
  return Array.isArray(list) ? list : [];
}

function certificateInputProblem(what: string, pem: unknown): string | undefined {
  if (typeof pem !== 'string') return `${what} is missing`;
  return rootCertificateProblem(pem) === 'unreadable' ? `${what} is not a PEM-encoded X.509 certificate` : undefined;
}

function firmwareInputProblem(firmware: unknown): string | undefined {
  if (typeof firmware !== 'object' || firmware === null) return undefined;
  const { location, signingCertificate } = firmware as { location?: unknown; signingCertificate?: unknown };
  if (typeof location === 'string' && !URL.canParse(location)) return `the firmware location ${JSON.stringify(location)} is not a URL`;
  return signingCertificate === undefined ? undefined : certificateInputProblem('the firmware signing certificate', signingCertificate);
}

// RFC 6761 §6.4: names under .invalid never resolve; a profile pointing there strands the station.
const NEVER_RESOLVES = /(^|\.)invalid\.?$/i;

function networkProfileInputProblem(connectionData: unknown): string | undefined {
  if (typeof connectionData !== 'object' || connectionData === null) return undefined;
  const url = (connectionData as { ocppCsmsUrl?: unknown }).ocppCsmsUrl;
  if (typeof url !== 'string') return undefined;
  // B09: the station connects to ocppCsmsUrl over OCPP-J, a WebSocket URL.
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')) return `the CSMS URL ${JSON.stringify(url)} is not a ws:// or wss:// URL`;
  return NEVER_RESOLVES.test(parsed.hostname) ? `the CSMS URL ${JSON.stringify(url)} names a host that never resolves (RFC 6761 .invalid)` : undefined;
}

function deleteInputProblem(hashData: unknown, known: KnownCertificates): string | undefined {
  if (!isWellFormedHashData(hashData)) return `the hash data to delete by are not CertificateHashDataType hashes of their hashAlgorithm: ${JSON.stringify(hashData)}`;
  const knows = known.installed.some((pem) => hashDataNames(hashData, pem)) || known.reported.some((reported) => sameCertificate(reported, hashData));
  // M04.FR.07: the CSMS deletes by hash data the station reported (or of a certificate it installed itself).
  return knows ? undefined : 'the hash data to delete by name no certificate the CSMS installed on the station or the station reported';
}

/** Part 2 CertificateHashDataType: issuerNameHash and issuerKeyHash are hex digests of hashAlgorithm, serialNumber hex. */
const DIGEST_HEX_LENGTH: Record<string, number> = { SHA256: 64, SHA384: 96, SHA512: 128 };

function isWellFormedHashData(value: unknown): value is CertificateHashData {
  if (typeof value !== 'object' || value === null) return false;
  const { hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber } = value as Partial<Record<keyof CertificateHashData, unknown>>;
  const length = typeof hashAlgorithm === 'string' && Object.hasOwn(DIGEST_HEX_LENGTH, hashAlgorithm) ? DIGEST_HEX_LENGTH[hashAlgorithm] : undefined;
  const digest = (hash: unknown) => typeof hash === 'string' && hash.length === length && /^[0-9a-f]+$/i.test(hash);
  return length !== undefined && digest(issuerNameHash) && digest(issuerKeyHash) && typeof serialNumber === 'string' && /^[0-9a-f]+$/i.test(serialNumber);
}

import { hostname, networkInterfaces } from 'node:os';
import type { TestPki } from '../pki/index.js';
import type { OcppVersion } from '../protocol/index.js';
import { OcppServer, RefusalBook, usesTls, type ConnectionLimits, type ConnectionSecurity } from '../transport/index.js';
import { ENDPOINT_PATHS } from './csms-endpoints.js';

/** What the harness's CSMS serves: the configured security, and the TLS security cases fitted to it need (--builtin). */
export interface CsmsServersRequest {
  listen: { host: string; port: number };
  ocpp: OcppVersion;
  /** Issues the new-root endpoint's certificate (csmsRoot2). */
  pki: TestPki;
  /** The configured security (see connectionSecurity): the server at `listen` follows it (wss from profile 2). */
  security: ConnectionSecurity;
  /** With a plain `security`: the security of cases that need TLS; another server serves wss for them. */
  tlsSecurity?: ConnectionSecurity;
  /**
   * Below profile 3 (configured, and in `tlsSecurity`): the security of cases that need mutual TLS;
   * another wss server asks them for client certificates (A00.FR.402).
   */
  mutualSecurity?: ConnectionSecurity;
  /**
   * The securities stations are upgraded to (A05, TC_A_19_CS), at profile 2 or 3: each gets a server
   * of that profile (the TLS or the mutual-TLS one, started for it when no case needs it otherwise)
   * that alone serves the upgrade path.
   */
  upgradeSecurities?: readonly ConnectionSecurity[];
  /** The bounds of every connection, and how long a station's opening handshake may take (issue 14). */
  limits: ConnectionLimits;
  handshakeMs: number;
}

/** The servers of the harness's CSMS, sharing one refusal book. */
export interface CsmsServers {
  /** Every server; the first listens at `listen`. */
  all: OcppServer[];
  refusals: RefusalBook;
  /** The base URL for a station connected with this security. */
  urlFor(security: ConnectionSecurity): string;
  /** When TLS is served: the port of the new-root endpoint (its certificate issued by csmsRoot2). */
  newRootPort?: number;
  /** The port of the upgrade endpoint for a station connected with security profile `profile`: the server of `profile + 1` (A05). */
  upgradePortFor(profile: number): number | undefined;
  close(): Promise<void>;
}

/**
 * Starts the harness's CSMS: the server at `listen` (plain ws, or wss from security profile 2
 * with the certificate of `security`, csmsRoot's), and whenever TLS is served the new-root endpoint, a wss
 * server whose certificate csmsRoot2 issued, at the next port (any free port when `listen` picks
 * one). Against the built-in reference with a plain configuration, cases that need TLS get a
 * further wss server (csmsRoot) on a free port, and cases that need profile 3 one that asks for
 * client certificates; so do stations upgraded to those profiles (`upgradeSecurities`). The
 * new-root path is served by its server only, the upgrade path by the server of the profile
 * upgraded to only.
 */
export async function startCsmsServers(request: CsmsServersRequest): Promise<CsmsServers> {
  const { listen, security } = request;
  const refusals = new RefusalBook();
  const started: OcppServer[] = [];
  const close = async () => {
    for (const server of started) await server.close();
  };
  const start = async (port: number, serverSecurity: ConnectionSecurity, isKnownEndpoint: (path: string) => boolean) => {
    const server = await OcppServer.listen({
      host: listen.host, port, versions: [request.ocpp], refusals, isKnownEndpoint, security: serverSecurity, limits: request.limits, handshakeMs: request.handshakeMs,
    });
    started.push(server);
    return server;
  };
  // The new-root and upgrade paths are served by their own servers only: a station that comes back
  // at one of them reached that server, with its certificate and security profile.
  const ordinary = (path: string) => path !== ENDPOINT_PATHS.newRoot && path !== ENDPOINT_PATHS.upgrade;
  const orUpgrade = (upgraded: boolean) => (upgraded ? (path: string) => ordinary(path) || path === ENDPOINT_PATHS.upgrade : ordinary);
  const upgradeTo = (profile: number) => request.upgradeSecurities?.find((upgraded) => upgraded.profile === profile);
  try {
    const tlsConfigured = usesTls(security);
    const main = await start(listen.port, security, ordinary);
    const tlsSecurity = tlsConfigured ? security : (request.tlsSecurity ?? upgradeTo(2));
    if (!tlsSecurity) return { all: started, refusals, urlFor: () => main.url, upgradePortFor: () => undefined, close };
    const upgradesTo2 = !tlsConfigured && upgradeTo(2) !== undefined;
    const tlsMain = tlsConfigured ? main : await start(0, tlsSecurity, orUpgrade(upgradesTo2));
    // The "new CSMS" of TC_B_50_CS: the same security, a server certificate of another root.
    const newRootSecurity = { ...tlsSecurity, serverCertificate: request.pki.serverCertificate('csmsRoot2', serverHosts(listen.host)) };
    const newRoot = await start(tlsConfigured && listen.port !== 0 ? listen.port + 1 : 0, newRootSecurity, (path) => path === ENDPOINT_PATHS.newRoot);
    const mutualSecurity = request.mutualSecurity ?? upgradeTo(3);
    const mutual = mutualSecurity && tlsSecurity.profile < 3 ? await start(0, mutualSecurity, orUpgrade(upgradeTo(3) !== undefined)) : undefined;
    const urlFor = (connection: ConnectionSecurity) => (mutual && connection.profile === 3 ? mutual.url : usesTls(connection) ? tlsMain.url : main.url);
    const upgradePortFor = (profile: number) => (profile === 1 && upgradesTo2 ? portOf(tlsMain.url) : profile === 2 && mutual && upgradeTo(3) ? portOf(mutual.url) : undefined);
    return { all: started, refusals, urlFor, newRootPort: portOf(newRoot.url), upgradePortFor, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The host names and addresses the harness's server certificates name: the listen host (for a
 * wildcard address, this machine's name and addresses instead), 127.0.0.1 and localhost. The
 * first is the certificate's commonName.
 */
export function serverHosts(listenHost: string): string[] {
  const wildcard = listenHost === '' || listenHost === '0.0.0.0' || listenHost === '::';
  const own = wildcard ? [hostname(), ...Object.values(networkInterfaces()).flat().filter((address) => address && !address.internal).map((address) => address!.address)] : [listenHost];
  return [...new Set([...own, '127.0.0.1', 'localhost'])];
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

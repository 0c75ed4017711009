import { CSMS_TEMPLATE_NAMES } from '../testcase/index.js';
import type { SutLink } from './sut-link.js';

/**
 * The harness as CSMS offers a station two endpoints on its one server (OCPP 2.0.1 Part 6 errata
 * 6.2.17: "the Test System has two endpoints it is able to switch between"): the one the station
 * was configured with, and a second one. A station on the second is sent back to the first. Over
 * TLS a third endpoint, on a server of its own whose certificate `csmsRoot2` issued, is the "new
 * CSMS" with a new root (TC_B_50_CS); only that server serves its path.
 */
export const ENDPOINT_PATHS = { first: '/ocpp-harness-1', second: '/ocpp-harness-2', newRoot: '/ocpp-harness-new-root', upgrade: '/ocpp-harness-upgrade' } as const;

/** The ports of the endpoints on servers of their own, where the run serves them. */
export interface OwnServerPorts {
  /** The new-root endpoint (TC_B_50_CS), when TLS is served. */
  newRoot?: number;
  /** The upgrade endpoint, one security profile above the case's (A05, TC_A_19_CS). */
  upgrade?: number;
}


/**
 * `csms.*` for one case: the endpoint the station is connected at when the case first reads it
 * (`url`, `path`), the other one (`otherUrl`, `otherPath`), and, on the host the station reached,
 * the endpoints on servers of their own: when the run serves TLS the new-root endpoint
 * (`newRootUrl`, `newRootPath`), and at security profile 1 or 2 the upgrade endpoint, served at
 * the next profile (`upgradeUrl`, `upgradePath`). Fixed from then on so a case can send the
 * station away and check where it comes back. Undefined while no station is connected.
 */
export function csmsEndpointsView(link: SutLink, ports: OwnServerPorts = {}): Record<string, unknown> {
  let fixed: Partial<Record<(typeof CSMS_TEMPLATE_NAMES)[number], string>> | undefined;
  const read = () => {
    if (fixed) return fixed;
    const current = link.endpoint;
    if (!current) return undefined;
    const origin = current.url.slice(0, current.url.length - current.path.length);
    const otherPath = current.path === ENDPOINT_PATHS.second ? ENDPOINT_PATHS.first : ENDPOINT_PATHS.second;
    fixed = { url: current.url, path: current.path, otherUrl: `${origin}${otherPath}`, otherPath };
    if (ports.newRoot !== undefined) Object.assign(fixed, { newRootUrl: ownServerUrl(origin, ports.newRoot, ENDPOINT_PATHS.newRoot), newRootPath: ENDPOINT_PATHS.newRoot });
    if (ports.upgrade !== undefined) Object.assign(fixed, { upgradeUrl: ownServerUrl(origin, ports.upgrade, ENDPOINT_PATHS.upgrade), upgradePath: ENDPOINT_PATHS.upgrade });
    return fixed;
  };
  const view: Record<string, unknown> = {};
  for (const name of CSMS_TEMPLATE_NAMES) Object.defineProperty(view, name, { enumerable: true, get: () => read()?.[name] });
  return view;
}

/** A wss URL on the host the station reached (`origin`), at another port of the harness. */
function ownServerUrl(origin: string, port: number, path: string): string {
  const url = new URL(origin);
  url.protocol = 'wss:';
  url.port = String(port);
  return `wss://${url.host}${path}`;
}

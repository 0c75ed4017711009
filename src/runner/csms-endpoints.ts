import type { StationLink } from './station-link.js';

/**
 * The harness as CSMS offers a station two endpoints on its one server (OCPP 2.0.1 Part 6 errata
 * 6.2.17: "the Test System has two endpoints it is able to switch between"): the one the station
 * was configured with, and a second one. A station on the second is sent back to the first.
 */
export const ENDPOINT_PATHS = { first: '/ocpp-harness-1', second: '/ocpp-harness-2' } as const;

/** The names templates read under `csms.`. */
export const CSMS_TEMPLATE_NAMES = ['url', 'path', 'otherUrl', 'otherPath'] as const;

/**
 * `csms.*` for one case: the endpoint the station is connected at when the case first reads it
 * (`url`, `path`), and the other one (`otherUrl`, `otherPath`), fixed from then on so a case can
 * send the station away and check where it comes back. Undefined while no station is connected.
 */
export function csmsEndpointsView(link: StationLink): Record<string, unknown> {
  let fixed: Record<(typeof CSMS_TEMPLATE_NAMES)[number], string> | undefined;
  const read = () => {
    if (fixed) return fixed;
    const current = link.endpoint;
    if (!current) return undefined;
    const origin = current.url.slice(0, current.url.length - current.path.length);
    const otherPath = current.path === ENDPOINT_PATHS.second ? ENDPOINT_PATHS.first : ENDPOINT_PATHS.second;
    return (fixed = { url: current.url, path: current.path, otherUrl: `${origin}${otherPath}`, otherPath });
  };
  const view: Record<string, unknown> = {};
  for (const name of CSMS_TEMPLATE_NAMES) Object.defineProperty(view, name, { enumerable: true, get: () => read()?.[name] });
  return view;
}

import { TARGET_TEMPLATE_NAMES } from '../testcase/index.js';
import type { SutLink } from './sut-link.js';

/**
 * `target.*` for a CSMS case: the CSMS under test as the harness reaches it. `target.url` is the
 * endpoint the harness as station connects to (the run's `--target`, or the built-in reference
 * CSMS's), without the station identity: the URL a CSMS that validates an operator's network
 * profile (B09) knows as its own, where a made-up host would be refused. Read when a template
 * renders, so a reference restarted for the case is seen. `target.upgradeUrl` is its endpoint for
 * the security profile one above the configured one (A05): the configured
 * security.upgradeTargetUrl, else `--target`; the built-in reference CSMS's second endpoint.
 */
export function targetView(link: SutLink): Record<string, unknown> {
  const values: Record<(typeof TARGET_TEMPLATE_NAMES)[number], () => string | undefined> = { url: () => link.options.endpoint, upgradeUrl: () => link.options.upgradeEndpoint };
  const view: Record<string, unknown> = {};
  for (const name of TARGET_TEMPLATE_NAMES) Object.defineProperty(view, name, { enumerable: true, get: values[name] });
  return view;
}

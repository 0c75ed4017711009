import { describeCapture, readCapture, type Capture } from '../../testcase/index.js';
import type { CaseRun, StepScope } from '../case-run.js';
import { failStep, jsonText } from '../step-stop.js';

/**
 * Keeps the captures of a matched message as `captured.<name>`; a capture that finds nothing
 * fails the step (`what` names the message, e.g. `GetInstalledCertificateIdsResponse`).
 */
export function captureValues(captures: Record<string, Capture> | undefined, payload: unknown, run: CaseRun, scope: StepScope, what: string): void {
  for (const [name, capture] of Object.entries(captures ?? {})) {
    const rendered = typeof capture === 'string' ? capture : (run.render(capture, scope) as Capture);
    const found = readCapture(payload, rendered, run.matchOptions);
    if (!found.found) throw failStep(`${what} with ${describeCapture(rendered)} (to capture as ${name})`, `none in ${jsonText(payload)}`);
    run.captured[name] = found.value;
  }
}

import Handlebars from 'handlebars';
import type { HtmlReportData } from './html-data.js';
import { PAGE_SCRIPT } from './templates/page-script.js';
import { PAGE_STYLES } from './templates/page-styles.js';
import { PAGE_TEMPLATE } from './templates/page-template.js';

/** What the page shows above the case list, besides the embedded data. */
export interface PageFrame {
  title: string;
  heading: string;
  facts: Array<{ label: string; value: string }>;
  /** Summary tiles; in a run report `key` is a verdict and clicking it filters to that verdict. */
  tiles: Array<{ key: string; label: string; count: number; hint?: string }>;
  modules: Array<{ module: string; cells: number[]; total: number }>;
  /** Offer the filter on relayed passes (a run that has some). */
  relayFilter?: boolean;
  footer: string;
  generator: string;
}

let template: Handlebars.TemplateDelegate | undefined;

/**
 * Renders one self-contained page: inline CSS and script, the case index as one JSON block and
 * each wire log as its own JSON block after the script, so the browser paints the summary and
 * the case list before it has even read the bulk of the file.
 */
export function renderPage(frame: PageFrame, data: HtmlReportData): string {
  template ??= Handlebars.compile(PAGE_TEMPLATE, { strict: false });
  const { wires, ...index } = data;
  return template({
    ...frame, mode: data.mode, verdicts: data.mode === 'run' ? data.verdicts : [], styles: PAGE_STYLES, script: PAGE_SCRIPT,
    indexJson: scriptJson(index), wires: wires.map((wire) => ({ i: wire.i, json: scriptJson(wire.frames) })),
  });
}

/**
 * The page of `renderPage` around one wire log written by the caller: what comes before its
 * JSON and what comes after, so a wire log of any length can be streamed between the two.
 */
export function renderPageAroundWire(frame: PageFrame, data: Omit<HtmlReportData, 'wires'>, wire: number): { before: string; after: string } {
  const marker = 'ocpp-harness-streamed-wire-log';
  const page = renderPage(frame, { ...data, wires: [{ i: wire, frames: marker as unknown as [] }] });
  const [before, after] = page.split(JSON.stringify(marker)) as [string, string];
  return { before, after };
}

/**
 * JSON that is safe inside a `<script>` element: `<` is written as \u003c, so no `</script>` or
 * `<!--` can end or confuse the element whatever a SUT put into a payload.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// The page skeleton, a Handlebars template kept as a TypeScript string so that the plain `tsc`
// build carries it into dist/ (tsc copies no .hbs files). Triple braces only for text that
// html-page.ts has already made safe: the CSS, the script and the JSON blocks.

/** The Handlebars template of the HTML report and the trace page. */
export const PAGE_TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="ocpp-harness {{generator}}">
<title>{{title}}</title>
<style>{{{styles}}}</style>
</head>
<body class="mode-{{mode}}">
<header class="top">
  <h1>{{heading}}</h1>
  <dl class="facts">{{#each facts}}<div><dt>{{label}}</dt><dd>{{value}}</dd></div>{{/each}}</dl>
</header>
<section class="summary" aria-label="Summary">
  <div class="tiles">{{#each tiles}}<button type="button" class="tile v-{{key}}" data-verdict="{{key}}" title="{{hint}}"><span class="count" data-count="{{key}}">{{count}}</span><span class="label">{{label}}</span></button>{{/each}}</div>
  {{#if modules.length}}<table class="modules" aria-label="Verdicts per module">
    <thead><tr><th>module</th>{{#each verdicts}}<th class="v-{{this}}">{{this}}</th>{{/each}}<th>total</th></tr></thead>
    <tbody>{{#each modules}}<tr data-module="{{module}}"><th><button type="button" class="module-link" data-module="{{module}}">{{module}}</button></th>{{#each cells}}<td class="{{#if this}}nz{{/if}}">{{this}}</td>{{/each}}<td>{{total}}</td></tr>{{/each}}</tbody>
  </table>{{/if}}
</section>
<nav class="filters" id="filters" aria-label="Filters">
  <fieldset><legend>Verdict</legend>{{#each verdicts}}<label class="v-{{this}}"><input type="checkbox" name="verdict" value="{{this}}" checked> {{this}}</label>{{/each}}</fieldset>
  {{#if relayFilter}}<label title="A relayed pass checked only values the adapter had passed on to the SUT">Passes <select id="relay-filter"><option value="">all</option><option value="relayed">relayed only</option><option value="own">hide relayed</option></select></label>{{/if}}
  <label>Module <select id="module-filter"><option value="">all</option>{{#each modules}}<option value="{{module}}">{{module}}</option>{{/each}}</select></label>
  <label class="grow">Text <input id="text-filter" type="search" placeholder="id, title, reason, requirement, step"></label>
  <button type="button" id="reset-filters">Show all</button>
  <span id="shown" aria-live="polite"></span>
</nav>
<main id="cases"><noscript><p>The case list and wire logs need JavaScript; the data is in this file's report-index and wire-N script blocks, and in results.json.</p></noscript></main>
<footer>{{footer}}</footer>
<script type="application/json" id="report-index">{{{indexJson}}}</script>
<script>{{{script}}}</script>
{{#each wires}}<script type="application/json" id="wire-{{i}}">{{{json}}}</script>
{{/each}}</body>
</html>
`;

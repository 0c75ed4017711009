/** The report's CSS, inlined into the page (it must work from a file, offline). */
export const PAGE_STYLES = `
:root { --pass:#1a7f37; --fail:#cf222e; --error:#8250df; --inconclusive:#9a6700; --na:#57606a; --skipped:#8c959f;
  --call:#0969da; --result:#1a7f37; --callerror:#cf222e; --event:#57606a; --invalid:#bf3989; --send:#8250df;
  --bg:#fff; --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.top { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 8px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; }
.facts div { display: flex; gap: 6px; } .facts dt { color: var(--muted); } .facts dd { margin: 0; font-family: ui-monospace, monospace; }
.summary { display: flex; flex-wrap: wrap; gap: 16px 32px; padding: 12px 24px; align-items: flex-start; }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; }
.tile { display: flex; flex-direction: column; align-items: center; min-width: 92px; padding: 6px 10px; border: 1px solid var(--line); border-top: 4px solid currentColor; border-radius: 6px; background: var(--bg); cursor: pointer; font: inherit; }
.tile .count { font-size: 22px; font-weight: 600; color: var(--fg); } .tile .label { font-size: 12px; }
.v-pass { color: var(--pass); } .v-fail { color: var(--fail); } .v-error { color: var(--error); } .v-inconclusive { color: var(--inconclusive); }
.v-not-applicable { color: var(--na); } .v-outside { color: var(--event); } .v-skipped { color: var(--skipped); } .v-total, .v-records { color: var(--fg); }
.v-violation { color: var(--fail); } .v-warning { color: var(--inconclusive); } .v-info { color: var(--na); }
table.modules { border-collapse: collapse; font-size: 13px; }
table.modules th, table.modules td { border: 1px solid var(--line); padding: 2px 8px; text-align: right; }
table.modules th:first-child { text-align: left; } table.modules td:not(.nz) { color: var(--skipped); }
.module-link { border: 0; background: none; padding: 0; color: var(--call); cursor: pointer; font: inherit; text-decoration: underline; }
nav.filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; padding: 8px 24px; background: var(--soft); border-block: 1px solid var(--line); }
nav.filters fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 10px; } nav.filters legend { float: left; margin-right: 6px; color: var(--muted); }
nav.filters .grow { flex: 1; display: flex; gap: 6px; align-items: center; } #text-filter { flex: 1; min-width: 160px; padding: 3px 6px; }
#shown { color: var(--muted); }
body.mode-trace nav.filters, body.mode-trace table.modules { display: none; }
main { padding: 8px 24px 24px; }
.case { border: 1px solid var(--line); border-left: 4px solid currentColor; border-radius: 4px; margin: 4px 0; scroll-margin-top: calc(var(--sticky-height, 0px) + 8px); }
.case-head { display: flex; flex-wrap: wrap; gap: 4px 12px; width: 100%; padding: 6px 10px; border: 0; background: none; text-align: left; font: inherit; color: var(--fg); cursor: pointer; }
.case-head:hover { background: var(--soft); }
.badge { display: inline-block; min-width: 104px; font-weight: 600; text-transform: uppercase; font-size: 12px; }
.cid { font-family: ui-monospace, monospace; font-weight: 600; } .cmod, .cdur { color: var(--muted); } .cdur { margin-left: auto; }
.relay-tag { margin-left: 6px; font-size: 10.5px; font-weight: 600; color: var(--muted); }
.case.relayed { border-left-style: dashed; } .v-relayed { color: var(--pass); } .tile.v-relayed { border-top-style: dashed; }
.relay-note { display: block; color: var(--muted); }
.warn-tag { font-weight: 600; } .checks { margin: 2px 0 8px; padding-left: 18px; font-size: 12.5px; }
.creason { flex-basis: 100%; color: var(--muted); padding-left: 116px; }
.case-body { padding: 4px 12px 12px; border-top: 1px solid var(--line); color: var(--fg); }
.failure { border: 1px solid var(--fail); background: #fff5f5; border-radius: 4px; padding: 8px 12px; margin: 8px 0; }
.failure h3 { margin: 0 0 4px; font-size: 14px; } .failure .exp { color: var(--pass); } .failure .act { color: var(--fail); }
.failure pre.side-by-side { margin: 4px 0 0; padding: 6px; background: var(--soft); border-radius: 4px; font-family: ui-monospace, monospace; font-size: 12.5px; white-space: pre-wrap; overflow-x: auto; }
.failure div, .steps td, .frame pre { font-family: ui-monospace, monospace; font-size: 12.5px; }
table.steps { border-collapse: collapse; width: 100%; margin: 8px 0; }
table.steps th, table.steps td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
table.steps td.detail { white-space: pre-wrap; word-break: break-word; }
.st-pass { color: var(--pass); } .st-fail { color: var(--fail); } .st-error { color: var(--error); } .st-inconclusive { color: var(--inconclusive); } .st-skipped { color: var(--skipped); }
.req { font-family: ui-monospace, monospace; color: var(--call); }
h4 { margin: 12px 0 4px; font-size: 13px; }
.wire { border: 1px solid var(--line); border-radius: 4px; }
.frame { display: grid; grid-template-columns: 170px 110px 130px minmax(120px, 220px) 1fr; gap: 0 8px; padding: 2px 8px; border-bottom: 1px solid var(--soft); border-left: 4px solid var(--event); font-size: 12.5px; }
.frame .time { font-family: ui-monospace, monospace; color: var(--muted); white-space: nowrap; } .frame .dir { color: var(--muted); white-space: nowrap; } .frame .kind { font-weight: 600; }
.frame .act { font-weight: 600; overflow-wrap: anywhere; } .frame .body { min-width: 0; }
.frame.t-CALL { border-left-color: var(--call); } .frame.t-CALL .kind { color: var(--call); }
.frame.t-CALLRESULT { border-left-color: var(--result); } .frame.t-CALLRESULT .kind { color: var(--result); }
.frame.t-CALLERROR, .frame.t-CALLRESULTERROR, .frame.t-UNREADABLE { border-left-color: var(--callerror); } .frame.t-CALLERROR .kind, .frame.t-CALLRESULTERROR .kind { color: var(--callerror); }
.frame.t-SEND { border-left-color: var(--send); } .frame.t-INVALID { border-left-color: var(--invalid); } .frame.t-INVALID .kind { color: var(--invalid); }
.frame.t-EVENT { background: var(--soft); }
.frame details summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; color: var(--muted); }
.frame pre { margin: 4px 0; padding: 6px; background: var(--soft); border-radius: 4px; white-space: pre-wrap; word-break: break-word; }
.frame.omitted { display: block; font-style: italic; color: #666; padding: 6px 0; }
.findings { grid-column: 2 / -1; margin: 2px 0; padding: 0; list-style: none; }
.findings li { font-size: 12.5px; } .findings .sev { font-weight: 600; text-transform: uppercase; font-size: 11px; margin-right: 4px; }
.sev-violation { color: var(--fail); } .sev-warning { color: var(--inconclusive); } .sev-info { color: var(--na); }
.more { margin: 6px 8px; }
.empty { color: var(--muted); font-style: italic; }
footer { padding: 8px 24px 24px; color: var(--muted); font-size: 12px; }
@media print { nav.filters { display: none; } .case-body[hidden] { display: block; } }
`;

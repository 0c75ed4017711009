// The page's script, inlined. Plain ES2019 without dependencies, written for size: a report may
// hold 500 cases and 50,000 frames, so the page parses only the small case index at load, builds
// the case list as one string, and reads a case's wire log (its own JSON block) when it is
// expanded, rendering it CHUNK rows at a time. Kept in String.raw so its backslashes survive.

/** The client-side script of the HTML report and the trace page. */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var CHUNK = 200;
  var data = JSON.parse(document.getElementById('report-index').textContent);
  var list = document.getElementById('cases');
  var ENT = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function esc(text) { return String(text).replace(/[&<>"']/g, function (c) { return ENT[c]; }); }
  function duration(ms) { return ms >= 1000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms) + ' ms'; }
  function clock(iso) { return iso ? iso.slice(11, 23) : ''; }
  var RELAYED_HINT = 'every value this pass checked was passed on to the SUT by the device-action adapter: it shows a relay, not a request the SUT built';
  var who = data.mode === 'trace' ? ['station → CSMS', 'CSMS → station'] : ['CS → CSMS', 'CSMS → CS'];

  // What an expect step's checks rested on (results.json step.relay).
  function relayText(relay) {
    if (!relay.notSupplied.length) return 'relayed: every checked value was passed on by the adapter' + (relay.supplied.length ? ' (' + relay.supplied.join(', ') + ')' : ' (the action)');
    return (relay.supplied.length ? 'passed on by the adapter: ' + relay.supplied.join(', ') + '; ' : '') + 'built by the SUT: ' + relay.notSupplied.join(', ');
  }

  // The case list: headers only; bodies are built on first expand.
  var heads = data.cases.map(function (c) {
    return '<section class="case v-' + esc(c.verdict) + (c.relayed ? ' relayed' : '') + '" id="case-' + c.i + '" data-i="' + c.i + '">' +
      '<button type="button" class="case-head" aria-expanded="false">' +
      '<span class="badge v-' + esc(c.verdict) + '">' + esc(c.verdict) + (c.relayed ? '<span class="relay-tag" title="' + RELAYED_HINT + '">relayed</span>' : '') + '</span>' +
      '<span class="cid">' + esc(c.id) + '</span><span class="ctitle">' + esc(c.title) + '</span>' +
      '<span class="cmod">' + esc(c.module) + '</span><span class="cdur">' + duration(c.durationMs) +
      (c.frames ? ' · ' + c.frames + ' frames' : '') + (c.violations ? ' · ' + c.violations + ' violations' : '') +
      (c.warnings ? ' · <span class="warn-tag">' + c.warnings + ' warning' + (c.warnings > 1 ? 's' : '') + '</span>' : '') + '</span>' +
      (c.reason ? '<span class="creason">' + esc(c.reason) + '</span>' : '') +
      '</button><div class="case-body" hidden></div></section>';
  });
  list.innerHTML = heads.join('') || '<p class="empty">No cases.</p>';
  var sections = Array.prototype.slice.call(list.querySelectorAll('section.case'));
  var haystack = data.cases.map(function (c) {
    var parts = [c.id, c.title, c.module, c.verdict, c.reason || '', c.stationId || '', c.relayed ? 'relayed' : ''];
    c.steps.forEach(function (s) { parts.push(s.title, s.detail || '', s.requirementIds.join(' '), s.relay ? relayText(s.relay) : ''); });
    if (c.failure) parts.push(c.failure.actual, c.failure.expected.join(' '), c.failure.requirements.map(function (r) { return r.id + ' ' + r.text; }).join(' '));
    return parts.join('\n').toLowerCase();
  });

  // Filters: verdict checkboxes, module, free text.
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=verdict]'));
  var moduleFilter = document.getElementById('module-filter');
  var relayFilter = document.getElementById('relay-filter');
  var textFilter = document.getElementById('text-filter');
  var shown = document.getElementById('shown');
  function applyFilter() {
    var verdicts = {};
    boxes.forEach(function (box) { verdicts[box.value] = box.checked; });
    var module = moduleFilter ? moduleFilter.value : '';
    var relay = relayFilter ? relayFilter.value : '';
    var words = textFilter ? textFilter.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    var count = 0;
    var total = 0;
    var everything = boxes.every(function (box) { return box.checked; }) && !module && !relay;
    data.cases.forEach(function (c, n) {
      var matches = words.every(function (word) { return haystack[n].indexOf(word) >= 0; });
      // Traffic between cases has no verdict or module: shown only while those filters are off.
      var kind = !relay || (relay === 'relayed') === Boolean(c.relayed);
      var visible = c.extra ? everything && matches : verdicts[c.verdict] !== false && (!module || c.module === module) && kind && matches;
      sections[n].hidden = !visible;
      if (visible && !c.extra) count++;
      if (!c.extra) total++;
    });
    if (shown) shown.textContent = 'showing ' + count + ' of ' + total;
  }
  boxes.forEach(function (box) { box.addEventListener('change', applyFilter); });
  if (moduleFilter) moduleFilter.addEventListener('change', applyFilter);
  if (relayFilter) relayFilter.addEventListener('change', applyFilter);
  if (textFilter) textFilter.addEventListener('input', applyFilter);
  // The "relayed passes" tile shows every verdict's box ticked and the relay filter on.
  function only(verdict) {
    var relayed = verdict === 'relayed';
    boxes.forEach(function (box) { box.checked = relayed || verdict === 'total' || box.value === verdict; });
    if (relayFilter) relayFilter.value = relayed ? 'relayed' : '';
    applyFilter();
  }
  document.querySelectorAll('.tile[data-verdict]').forEach(function (tile) {
    tile.addEventListener('click', function () { if (data.mode === 'run') only(tile.getAttribute('data-verdict')); });
  });
  document.querySelectorAll('.module-link').forEach(function (link) {
    link.addEventListener('click', function () { moduleFilter.value = link.getAttribute('data-module'); applyFilter(); });
  });
  var reset = document.getElementById('reset-filters');
  if (reset) reset.addEventListener('click', function () {
    boxes.forEach(function (box) { box.checked = true; }); moduleFilter.value = ''; textFilter.value = ''; if (relayFilter) relayFilter.value = ''; applyFilter();
  });
  applyFilter();

  // Case bodies.
  function failureBox(f) {
    var html = '<div class="failure"><h3>Step ' + esc(f.step) + ': ' + esc(f.stepTitle) + '</h3>';
    f.requirements.forEach(function (r) { html += '<div><span class="req">' + esc(r.id) + '</span> ' + esc(r.text) + '</div>'; });
    f.expected.forEach(function (e) { html += '<div class="exp">Expected: ' + esc(e) + '</div>'; });
    html += '<div class="act">Actual:&nbsp;&nbsp; ' + esc(f.actual) + '</div>';
    // Expected and actual side by side (a composite schedule period by period): lines and columns kept.
    if (f.table) html += '<pre class="side-by-side">' + esc(f.table) + '</pre>';
    return html + '</div>';
  }
  function findingList(findings) {
    return '<ul class="findings">' + findings.map(function (f) {
      // A grouped finding (issue 14) stands for many: its total and time span.
      var times = f[4] ? ' <b class="count">×' + f[4] + '</b> <small>(' + esc(f[5]) + ' to ' + esc(f[6]) + ', 5 listed before)</small>' : '';
      return '<li><span class="sev sev-' + esc(f[0]) + '">' + esc(f[0]) + '</span><b>' + esc(f[1]) + '</b>: ' + esc(f[2]) + times + ' <i>[' + esc(f[3]) + ']</i></li>';
    }).join('') + '</ul>';
  }
  // What the case's checks rested on (results.json checks, issue 13).
  function checksList(checks) {
    var groups = [['sut', 'on values the SUT produced'], ['harness', 'on values the harness had sent (the SUT sent them back)'], ['adapter', 'on values the adapter passed on']];
    return '<h4>Checks</h4><ul class="checks">' + groups.map(function (g) {
      var lines = checks[g[0]];
      return '<li><b>' + lines.length + '</b> ' + g[1] + (lines.length ? ': <span class="detail">' + esc(lines.join('; ')) + '</span>' : '') + '</li>';
    }).join('') + '</ul>';
  }
  function stepsTable(steps) {
    if (!steps.length) return '';
    return '<table class="steps"><thead><tr><th>step</th><th>status</th><th>kind</th><th>title</th><th>requirements</th><th>time</th><th>observed</th></tr></thead><tbody>' +
      steps.map(function (s) {
        return '<tr><td>' + esc(s.index) + '</td><td class="st-' + esc(s.status) + '">' + esc(s.status) + '</td><td>' + esc(s.kind) + '</td><td>' + esc(s.title) +
          '</td><td class="req">' + esc(s.requirementIds.join(', ')) + '</td><td>' + duration(s.durationMs) + '</td><td class="detail">' + esc(s.detail || '') +
          (s.relay ? '<span class="relay-note">' + esc(relayText(s.relay)) + '</span>' : '') + '</td></tr>';
      }).join('') + '</tbody></table>';
  }
  function renderBody(c, body) {
    var html = '';
    if (c.failure) html += failureBox(c.failure);
    html += stepsTable(c.steps);
    if (c.findings.length) html += '<h4>' + (c.extra ? 'Findings on the SUT\'s frames between cases (no verdict holds them)' : 'Findings on the SUT\'s frames') + '</h4>' + findingList(c.findings);
    if (c.checks) html += checksList(c.checks);
    html += '<h4>Wire log' + (c.frames ? ' (' + c.frames + ' records)' : '') + (c.stationId ? ' · station ' + esc(c.stationId) : '') +
      (c.trace ? ' · <a href="' + esc(c.trace) + '">' + esc(c.trace) + '</a>' : '') + '</h4>';
    html += c.frames ? '<div class="wire" data-i="' + c.i + '"></div>' : '<p class="empty">No frames recorded.</p>';
    body.innerHTML = html;
    var wire = body.querySelector('.wire');
    if (wire) afterParse(function () { moreFrames(wire, wireOf(c.i), 0); });
  }
  // The wire logs sit after this script in the file; a case opened while the browser is still
  // reading them gets its log once the document is parsed.
  function afterParse(work) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', work);
    else work();
  }
  var wires = {};
  function wireOf(i) {
    if (!wires[i]) { var block = document.getElementById('wire-' + i); wires[i] = block ? JSON.parse(block.textContent) : []; }
    return wires[i];
  }
  function preview(value) {
    var text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 160 ? text.slice(0, 160) + '…' : text;
  }
  function frameRow(f, n) {
    // Issue 14: the records a long trace leaves to its file, as one row.
    if (f.k === 'OMITTED') return '<div class="frame omitted" data-n="' + n + '" data-line="' + f.l + '">' + esc(f.x) + '</div>';
    var body = f.x !== undefined ? esc(f.x) : '';
    if (f.b !== undefined) body = '<details data-n="' + n + '"><summary>' + (f.x !== undefined ? esc(f.x) : esc(preview(f.b))) + '</summary></details>';
    return '<div class="frame t-' + esc(f.k) + ' d' + f.d + '" data-n="' + n + '" data-line="' + f.l + '">' +
      '<span class="time" title="' + esc(f.at) + ' (line ' + f.l + ')">' + clock(f.at) + ' +' + f.t + ' ms</span>' +
      '<span class="dir">' + who[f.d] + '</span><span class="kind">' + esc(f.k) + (f.s ? ' <small>step ' + esc(f.s) + '</small>' : '') + '</span>' +
      '<span class="act">' + esc(f.a || '') + (f.id ? ' <small>#' + esc(f.id) + '</small>' : '') + '</span>' +
      '<span class="body">' + body + '</span>' + (f.f ? findingList(f.f) : '') + '</div>';
  }
  function moreFrames(wire, frames, from) {
    var to = Math.min(frames.length, from + CHUNK);
    var html = '';
    for (var n = from; n < to; n++) html += frameRow(frames[n], n);
    var old = wire.querySelector('.more');
    if (old) old.remove();
    wire.insertAdjacentHTML('beforeend', html);
    if (to < frames.length) {
      var button = document.createElement('button');
      button.type = 'button'; button.className = 'more';
      button.textContent = 'Show ' + Math.min(CHUNK, frames.length - to) + ' more (' + (frames.length - to) + ' left)';
      button.addEventListener('click', function () { moreFrames(wire, frames, to); });
      wire.appendChild(button);
    }
  }
  // Payloads are pretty-printed only when opened: most are never looked at.
  list.addEventListener('toggle', function (event) {
    var details = event.target;
    if (!details.open || details.getAttribute('data-done')) return;
    var wire = details.closest('.wire');
    var frame = wireOf(Number(wire.getAttribute('data-i')))[Number(details.getAttribute('data-n'))];
    var pre = document.createElement('pre');
    pre.textContent = typeof frame.b === 'string' ? frame.b : JSON.stringify(frame.b, null, 2);
    details.appendChild(pre);
    details.setAttribute('data-done', '1');
  }, true);
  function toggle(section, open) {
    var head = section.querySelector('.case-head');
    var body = section.querySelector('.case-body');
    var expand = open === undefined ? body.hidden : open;
    if (expand && !body.getAttribute('data-built')) { renderBody(data.cases[Number(section.getAttribute('data-i'))], body); body.setAttribute('data-built', '1'); }
    body.hidden = !expand;
    head.setAttribute('aria-expanded', String(expand));
  }
  list.addEventListener('click', function (event) {
    var head = event.target.closest('.case-head');
    if (head) toggle(head.parentNode);
  });
  // A case scrolled to stops below the sticky filter bar, not under it: its height (it wraps on a
  // narrow window, and is hidden on a trace page) is the cases' scroll-margin-top.
  var filterBar = document.querySelector('nav.filters');
  function measureFilterBar() {
    document.documentElement.style.setProperty('--sticky-height', (filterBar ? filterBar.offsetHeight : 0) + 'px');
  }
  window.addEventListener('resize', measureFilterBar);
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var n = data.cases.findIndex(function (c) { return c.id === id; });
    if (n >= 0) { toggle(sections[n], true); measureFilterBar(); sections[n].scrollIntoView(); }
  }
  window.addEventListener('hashchange', openFromHash);
  if (data.mode === 'trace' && sections.length === 1) toggle(sections[0], true);
  else openFromHash();
  window.ocppReport = { ready: performance.now(), toggle: function (i, open) { toggle(sections[i], open); }, only: only };
})();
`;

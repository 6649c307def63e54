// Filtering and sorting of the findings tables. The filter state lives in the
// address's #fragment (q, severity, register), so a filtered view can be
// bookmarked or sent on; the report works without this script too.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  var text = document.getElementById('f-text');
  var severity = document.getElementById('f-severity');
  var register = document.getElementById('f-register');
  var count = document.getElementById('f-count');
  var tables = Array.prototype.slice.call(document.querySelectorAll('table.findings'));

  function apply() {
    var q = text.value.trim().toLowerCase();
    var s = severity.value;
    var r = register.value;
    var total = 0;
    tables.forEach(function (table) {
      var shown = 0;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var ok = (!s || row.getAttribute('data-severity') === s) &&
          (!r || row.getAttribute('data-register') === r) &&
          (!q || row.textContent.toLowerCase().indexOf(q) >= 0);
        row.hidden = !ok;
        if (ok) { shown++; }
      }
      var label = document.getElementById(table.id + '-shown');
      if (label) { label.textContent = String(shown); }
      total += shown;
    });
    count.textContent = String(total);
  }

  function save() {
    var params = new URLSearchParams();
    if (text.value) { params.set('q', text.value); }
    if (severity.value) { params.set('severity', severity.value); }
    if (register.value) { params.set('register', register.value); }
    var hash = params.toString();
    history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
  }

  function load() {
    var params = new URLSearchParams(location.hash.slice(1));
    text.value = params.get('q') || '';
    severity.value = params.get('severity') || '';
    register.value = params.get('register') || '';
  }

  function sortKey(cell, numeric) {
    var value = cell.getAttribute('data-sort');
    if (value === null) { value = cell.textContent; }
    return numeric ? (parseFloat(value) || 0) : value;
  }

  function sortBy(table, th) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var index = th.cellIndex;
    var numeric = th.classList.contains('num');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a.cells[index], numeric);
      var y = sortKey(b.cells[index], numeric);
      var c = numeric ? x - y : String(x).localeCompare(String(y));
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.querySelectorAll('button.sort'), function (button) {
      button.addEventListener('click', function () { sortBy(table, button.parentNode); });
    });
  });
  form.addEventListener('input', function () { apply(); save(); });
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  window.addEventListener('hashchange', function () { load(); apply(); });
  form.hidden = false;
  load();
  apply();
  document.documentElement.setAttribute('data-ready', 'yes');
}());

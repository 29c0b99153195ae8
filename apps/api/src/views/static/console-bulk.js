/*
 * Optional: while a bulk generation runs, its page asks GET /api/bulk-runs/<id> every two seconds
 * and updates the bar and the counts in place (without JavaScript the page reloads itself every 5
 * seconds: its meta refresh is in <noscript>, inert here). Reloads when the run ends,
 * to show the residents to handle; announces the progress in the live region every 10 %.
 */
(function () {
  'use strict';
  var box = document.querySelector('[data-bulk-run]');
  if (!box || !window.fetch) return;
  var id = box.getAttribute('data-bulk-run');
  var bar = document.getElementById('barre');
  var live = document.getElementById('suivi');
  var lastTenth = -1;
  function set(name, value) {
    var el = box.querySelector('[data-bulk="' + name + '"]');
    if (el) el.textContent = String(value);
  }
  function poll() {
    fetch('/api/bulk-runs/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (run) {
        if (!run) return setTimeout(poll, 5000);
        var c = run.counts;
        var toDo = c.total - c.skipped - c.cancelled;
        var done = c.generated + c.generationFailed + c.failed;
        if (bar) { bar.max = Math.max(1, toDo); bar.value = done; bar.textContent = done + ' sur ' + toDo; }
        var pct = toDo ? Math.floor((done * 100) / toDo) : 100;
        set('summary', done + ' sur ' + toDo + ' traités (' + pct + ' %)');
        set('created', c.created);
        set('generated', c.generated);
        set('pending', c.pending);
        set('failed', c.failed + c.generationFailed);
        set('skipped', c.skipped);
        var tenth = Math.floor(pct / 10);
        if (live && tenth !== lastTenth) { live.textContent = pct + ' % des documents traités.'; lastTenth = tenth; }
        if (!run.inProgress) {
          if (live) live.textContent = 'La génération est terminée : la page se met à jour.';
          window.location.reload();
        } else setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();

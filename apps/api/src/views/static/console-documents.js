/*
 * Optional: while a document is being generated, its page asks the API for its state every two
 * seconds and reloads itself when the generation ends (the « Actualiser » link does the same
 * without JavaScript). Stops after five minutes; announces the end in the live region.
 */
(function () {
  'use strict';
  var status = document.querySelector('[data-document-id]');
  if (!status || !window.fetch) return;
  var id = status.getAttribute('data-document-id');
  var live = document.getElementById('suivi-generation');
  var started = Date.now();
  function poll() {
    if (Date.now() - started > 5 * 60 * 1000) return;
    fetch('/api/documents/' + encodeURIComponent(id), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (doc) {
        if (doc && doc.status && doc.status !== 'generating') {
          if (live) live.textContent = 'La génération est terminée : la page se met à jour.';
          window.location.reload();
        } else setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (live) live.textContent = 'La génération prend en général quelques secondes ; cette page se mettra à jour toute seule.';
  setTimeout(poll, 2000);
})();

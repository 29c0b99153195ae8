/*
 * Bull Board (a third-party React page, /console/admin/files): its icon-only buttons have no name
 * and its logo no text alternative (axe: button-name, svg-img-alt). Each such button is named in
 * French from its icon (lucide icon classes) as the page renders; the icons themselves are hidden
 * from assistive technologies. Loaded by queue-board.ts, same origin (CSP script-src 'self').
 */
(function () {
  'use strict';
  var NAMES = {
    'lucide-maximize': 'Plein écran',
    'lucide-minimize': 'Quitter le plein écran',
    'lucide-settings': 'Réglages',
    'lucide-ellipsis-vertical': 'Autres actions',
    'lucide-ellipsis': 'Autres actions',
    'lucide-menu': 'Menu',
    'lucide-x': 'Fermer',
    'lucide-search': 'Rechercher',
    'lucide-refresh-cw': 'Actualiser',
    'lucide-rotate-cw': 'Relancer',
    'lucide-copy': 'Copier',
    'lucide-trash': 'Supprimer',
    'lucide-trash-2': 'Supprimer',
    'lucide-chevron-down': 'Déplier',
    'lucide-chevron-up': 'Replier',
    'lucide-sun': 'Thème clair',
    'lucide-moon': 'Thème sombre'
  };
  function iconName(svg) {
    var classes = ((svg && svg.getAttribute('class')) || '').split(/\s+/);
    for (var i = 0; i < classes.length; i++) if (NAMES[classes[i]]) return NAMES[classes[i]];
    return null;
  }
  function repair() {
    var buttons = document.querySelectorAll('button, [role="button"]');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if (b.getAttribute('aria-label') || b.getAttribute('aria-labelledby') || b.getAttribute('title') || (b.textContent || '').trim()) continue;
      var svg = b.querySelector('svg');
      var name = iconName(svg) || (b.getAttribute('aria-haspopup') === 'menu' ? 'Menu des actions' : 'Action');
      b.setAttribute('aria-label', name);
      if (svg) svg.setAttribute('aria-hidden', 'true');
    }
    var images = document.querySelectorAll('svg[role="img"]:not([aria-label]):not([aria-labelledby])');
    for (var j = 0; j < images.length; j++) if (!images[j].querySelector('title')) images[j].setAttribute('aria-label', 'Bull Board');
  }
  // Repaired in the observer's own callback, at the end of the task that rendered the buttons: no
  // later task (a screen reader's query, an axe run) can meet them unnamed. A frame's delay
  // (requestAnimationFrame, as before) left such a window, and a busy CI machine hit it. Setting
  // attributes is not observed (childList only), so the repair does not call itself again.
  new MutationObserver(repair).observe(document.documentElement, { childList: true, subtree: true });
  repair();
})();

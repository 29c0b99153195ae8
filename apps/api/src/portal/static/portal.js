// Optional drawn signature (progressive enhancement: the portal works without JavaScript, and the
// typed full name is always enough). Draws on a canvas and stores a PNG data URL in a hidden field.
(function () {
  var box = document.getElementById('draw-box');
  var canvas = document.getElementById('draw-canvas');
  var field = document.getElementById('drawnSignature');
  var clear = document.getElementById('draw-clear');
  if (!box || !canvas || !field || !canvas.getContext) return;
  box.hidden = false;
  var ctx = canvas.getContext('2d');
  var drawing = false;
  function size() {
    var r = canvas.getBoundingClientRect();
    canvas.width = Math.max(1, Math.round(r.width));
    canvas.height = Math.max(1, Math.round(r.height));
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#1a1a1a';
  }
  size();
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }
  canvas.addEventListener('pointerdown', function (e) { drawing = true; var p = point(e); ctx.beginPath(); ctx.moveTo(p.x, p.y); canvas.setPointerCapture(e.pointerId); });
  canvas.addEventListener('pointermove', function (e) { if (!drawing) return; var p = point(e); ctx.lineTo(p.x, p.y); ctx.stroke(); });
  function end() { if (!drawing) return; drawing = false; field.value = canvas.toDataURL('image/png'); }
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointerleave', end);
  clear.addEventListener('click', function () { ctx.clearRect(0, 0, canvas.width, canvas.height); field.value = ''; });
})();

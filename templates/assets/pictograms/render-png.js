/**
 * Renders each pictogram SVG to a 256×256 PNG (the fallback DOCX needs for readers without SVG
 * support), with the Debian Chromium through playwright-core. Run once after changing an SVG:
 *   node templates/assets/pictograms/render-png.js [id…]
 * The PNGs are committed next to the SVGs; rendering never runs at document generation time.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { chromium } = require('playwright-core');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function main() {
  const catalog = JSON.parse(readFileSync(join(__dirname, 'catalog.json'), 'utf8'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 256, height: 256 }, deviceScaleFactor: 1 });
    // `node render-png.js decision pencil`: only those (the others keep their committed bytes).
    const only = process.argv.slice(2);
    for (const { id } of catalog.filter((e) => only.length === 0 || only.includes(e.id))) {
      const svg = readFileSync(join(__dirname, `${id}.svg`), 'utf8').replace(/width="96" height="96"/, 'width="256" height="256"');
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
      writeFileSync(join(__dirname, `${id}.png`), await page.screenshot({ clip: { x: 0, y: 0, width: 256, height: 256 } }));
      process.stdout.write(`${id}.png\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});

#!/usr/bin/env node
/**
 * `npm test` needs real tools: poppler-utils (pdffonts, pdftotext, pdfsig), qpdf, Debian's chromium,
 * LibreOffice Writer without GUI (soffice converts the DOCX renditions to PDF to check their layout),
 * redis-server (private Redis for the queue tests) and PostgreSQL's initdb. On a fresh machine of
 * our kind (Debian, root, apt reachable) this installs what is missing, once; elsewhere it says
 * what to install.
 */
const { execFileSync, execSync } = require('node:child_process');
const { existsSync } = require('node:fs');

const NEEDED = [
  ['pdffonts', 'poppler-utils'],
  ['qpdf', 'qpdf'],
  ['chromium', 'chromium'],
  ['soffice', 'libreoffice-writer-nogui'],
];

function has(cmd) {
  try {
    execSync(`command -v ${cmd}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
}

const missing = NEEDED.filter(([cmd]) => !has(cmd)).map(([, pkg]) => pkg);
if (missing.length === 0) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root || !existsSync('/usr/bin/apt-get')) {
  process.stderr.write(`Les tests ont besoin de : ${missing.join(', ')}. Installez-les (apt-get install -y ${missing.join(' ')}) puis relancez npm test.\n`);
  process.exit(1);
}
process.stdout.write(`Installation des outils de test : ${missing.join(', ')}…\n`);
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

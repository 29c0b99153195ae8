#!/usr/bin/env node
/**
 * CI check: every package in package-lock.json says where its tarball is (`resolved`) and what it
 * hashes to (`integrity`), so `npm ci` verifies what it installs and never has to ask the registry
 * what a version is. Fix a failure with `node scripts/complete-lockfile.js`.
 */
const fs = require('node:fs');
const path = require('node:path');

const file = process.argv[2] ?? path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];
if (lock.lockfileVersion < 2) problems.push(`lockfileVersion ${lock.lockfileVersion}: expected 2 or 3`);
for (const [key, pkg] of Object.entries(lock.packages ?? {})) {
  if (key === '' || pkg.link) continue;
  const missing = ['resolved', 'integrity'].filter((f) => !pkg[f]);
  if (missing.length) problems.push(`${key}@${pkg.version ?? '?'}: no ${missing.join(', no ')}`);
  else if (!/^sha(256|384|512)-/.test(pkg.integrity)) problems.push(`${key}@${pkg.version}: integrity is not a sha256/384/512 hash`);
}
if (problems.length) {
  process.stderr.write(`check-lockfile: ${problems.length} package(s) of ${path.basename(file)} incomplete (run node scripts/complete-lockfile.js):\n${problems.slice(0, 30).join('\n')}${problems.length > 30 ? '\n…' : ''}\n`);
  process.exit(1);
}
process.stdout.write(`check-lockfile: ${Object.keys(lock.packages).length - 1} package(s), each with resolved and integrity\n`);

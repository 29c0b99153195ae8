#!/usr/bin/env node
/**
 * The package registry reachable from our machines lacks some platform builds of native packages
 * (e.g. @swc/core-darwin-arm64@1.16.22). npm then writes a lockfile without them, and `npm ci`
 * refuses it as "out of sync". This script adds the missing platform-specific optional packages
 * back to package-lock.json with their os/cpu, so `npm ci` skips them on Linux as it should.
 *
 * Every entry must also say where its tarball is and what it hashes to (`resolved`, `integrity`;
 * scripts/check-lockfile.js, run by CI, fails otherwise): an entry that has its integrity gets the
 * registry's conventional tarball address; one that lacks it (the platform packages added here) gets
 * both from the registry's own metadata (`npm view <name>@<version> dist`), so nothing is guessed.
 * Run it after any `npm install` that changes the lockfile: `node scripts/complete-lockfile.js`.
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const REGISTRY = 'https://registry.npmjs.org/';
const file = process.argv[2] ?? path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = OS.find((o) => parts.includes(o));
  if (!os) return null;
  const cpu = CPU.find((c) => parts.includes(c)) ?? (parts.includes('gnueabihf') || parts.includes('eabi') ? 'arm' : null);
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : null;
  return { os, cpu, libc };
}

/** The package an entry installs: its `name` for an alias (npm:…), else the last node_modules/ segment. */
function packageNameOf(key, pkg) {
  return pkg.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** npm's tarball address on the public registry (npm maps it onto a configured mirror). */
function tarballOf(name, version) {
  return `${REGISTRY}${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

/** Both values from the registry, through npm itself. */
function distOf(name, version) {
  const out = execFileSync('npm', ['view', `${name}@${version}`, 'dist.tarball', 'dist.integrity', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const dist = JSON.parse(out);
  if (!dist['dist.tarball'] || !dist['dist.integrity']) throw new Error(`the registry gave no tarball/integrity for ${name}@${version}`);
  return { resolved: dist['dist.tarball'], integrity: dist['dist.integrity'] };
}

let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const nested = `${key}/node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    lock.packages[hoisted] = {
      version: spec,
      ...(pkg.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      ...(platform.cpu ? { cpu: [platform.cpu] } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added++;
  }
}

let located = 0;
let fetched = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  if (key === '' || pkg.link || !pkg.version || (pkg.resolved && pkg.integrity)) continue;
  const name = packageNameOf(key, pkg);
  let dist;
  if (pkg.integrity) {
    dist = { resolved: tarballOf(name, pkg.version), integrity: pkg.integrity };
    located++;
  } else {
    dist = distOf(name, pkg.version);
    fetched++;
  }
  // npm's own key order: (name,) version, resolved, integrity, then the rest.
  const { name: alias, version, resolved: _r, integrity: _i, ...rest } = pkg;
  lock.packages[key] = { ...(alias ? { name: alias } : {}), version, resolved: pkg.resolved ?? dist.resolved, integrity: dist.integrity, ...rest };
}

lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
process.stdout.write(`complete-lockfile: ${added} platform package(s) added, ${located} tarball address(es) written, ${fetched} resolved/integrity pair(s) taken from the registry\n`);

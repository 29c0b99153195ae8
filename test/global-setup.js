// The e2e project's global setup: its tests start real processes (CLI, worker, api) from the compiled code, so build it once.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  const root = path.join(__dirname, '..');
  execFileSync(process.execPath, [require.resolve('@swc/cli/bin/swc.js', { paths: [root] }), 'apps', 'libs', 'scripts', '-d', 'dist', '--quiet', '--copy-files', '--ignore', '**/*.spec.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
};

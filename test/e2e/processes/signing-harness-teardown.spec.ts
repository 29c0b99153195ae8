import { execFileSync } from 'node:child_process';
import { startSigningHarness } from '@carepact/testing';

/** The compiled apps this process has started and that still run (`ps`: its children). */
const appChildren = () =>
  execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('dist/apps/'));
/** The servers listening in this process (Node's own count of what keeps it alive). */
const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/**
 * A signing harness whose start fails (here the api listens where the harness does not look, so it
 * never answers) stops what it had started — the api and worker processes, the SMTP server, its pool
 * — before it throws: the test's afterAll has no harness to close, and what was left kept jest's
 * worker alive (« A worker process has failed to exit gracefully ») with the processes orphaned.
 */
describe('a signing harness that fails to start leaves nothing running', () => {
  it('throws « api and worker up » and leaves no process or server behind', async () => {
    const listening = servers();
    await expect(startSigningHarness({ env: { HOST: '127.0.0.2' } })).rejects.toThrow(/timed out waiting for api and worker up/);
    expect(appChildren()).toEqual([]);
    expect(servers()).toBe(listening);
  }, 240000);
});

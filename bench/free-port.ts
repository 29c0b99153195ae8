import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 now, chosen by the system (listen on port 0, read it, close). The
 * benches used to draw one at random in 3900–3989: another session's bench on the same port
 * answered this one's health check and login while its own api failed with EADDRINUSE (issue 12,
 * session 18), and its documents went to the other's database.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

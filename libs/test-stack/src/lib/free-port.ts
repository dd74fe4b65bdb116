import { createServer } from 'node:net';

/**
 * A port free right now on 127.0.0.1, for children that cannot listen on 0 and report back (pose-service,
 * backend-api, the frontend server). The tiny race until the child binds it is acceptable for a test.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error) => reject(new Error('could not reserve a free port on 127.0.0.1', { cause: error })));
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error(`could not reserve a free port on 127.0.0.1: server.address() gave ${String(address)}`)),
      );
    });
  });
}

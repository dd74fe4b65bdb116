import { createServer } from 'node:net';
import { findFreePort } from './free-port';

describe('findFreePort', () => {
  it('returns a port another server can listen on at once', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });

  it('does not return a port that is in use', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: busy } = server.address() as { port: number };
    try {
      const ports = await Promise.all(Array.from({ length: 5 }, () => findFreePort()));
      expect(ports).not.toContain(busy);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

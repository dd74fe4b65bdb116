import { parseRegistryLocation, toCacheRepository } from './registry-api';

describe('parseRegistryLocation', () => {
  it('takes https unless the registry names http://', () => {
    expect(parseRegistryLocation('ghcr.io/acme/cache')).toEqual({ baseUrl: 'https://ghcr.io', refPrefix: 'ghcr.io/acme/cache', path: 'acme/cache' });
    expect(parseRegistryLocation('http://127.0.0.1:5000/cache/')).toEqual({ baseUrl: 'http://127.0.0.1:5000', refPrefix: '127.0.0.1:5000/cache', path: 'cache' });
    expect(parseRegistryLocation('registry.example:443')).toEqual({ baseUrl: 'https://registry.example:443', refPrefix: 'registry.example:443', path: '' });
  });

  it('places a workspace image under the registry path', () => {
    expect(toCacheRepository(parseRegistryLocation('http://127.0.0.1:5000/cache'), 'posestack/base-node')).toBe('127.0.0.1:5000/cache/posestack/base-node');
  });
});

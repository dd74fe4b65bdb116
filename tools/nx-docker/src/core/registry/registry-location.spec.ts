import { parseRegistryLocation, toCacheRepository } from './registry-location';

it('reads a cache registry with or without a scheme', () => {
  expect(parseRegistryLocation('http://127.0.0.1:5000/posestack-cache/')).toEqual({
    baseUrl: 'http://127.0.0.1:5000',
    refPrefix: '127.0.0.1:5000/posestack-cache',
    path: 'posestack-cache',
    isInsecure: true,
  });
  expect(parseRegistryLocation('ghcr.io/acme/cache')).toMatchObject({ baseUrl: 'https://ghcr.io', path: 'acme/cache', isInsecure: false });
});

it('keeps an image under the cache registry, dropping its own registry host', () => {
  const location = parseRegistryLocation('http://127.0.0.1:5000/c');
  expect(toCacheRepository(location, 'posestack/base-node')).toBe('127.0.0.1:5000/c/posestack/base-node');
  expect(toCacheRepository(location, 'ghcr.io/acme/app')).toBe('127.0.0.1:5000/c/acme/app');
});

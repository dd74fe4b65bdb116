import { resolveNxRemoteCache } from './nx-remote-cache';

it('finds the remote cache as Nx does, and none where Nx uses none', () => {
  expect(resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'https://cache.example/nx/', NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 't0k' })).toEqual({
    baseUrl: 'https://cache.example/nx',
    token: 't0k',
  });
  expect(resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://127.0.0.1:3700' })).toEqual({ baseUrl: 'http://127.0.0.1:3700' });
  expect(resolveNxRemoteCache({})).toBeUndefined();
  expect(resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: '' })).toBeUndefined();
  expect(resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://c', NX_SKIP_REMOTE_CACHE: 'true' })).toBeUndefined();
  expect(resolveNxRemoteCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://c', NX_DISABLE_REMOTE_CACHE: 'true' })).toBeUndefined();
});

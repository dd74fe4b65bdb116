import { crossOriginRefusal, isAllowedHost, isSafeMethod } from './request-guards';

describe('request guards', () => {
  it('knows the safe methods', () => {
    expect(['GET', 'HEAD', 'OPTIONS'].every(isSafeMethod)).toBe(true);
    expect(['POST', 'DELETE', 'PUT', 'PATCH'].some(isSafeMethod)).toBe(false);
  });

  it('matches hosts case-insensitively and refuses a missing one', () => {
    expect(isAllowedHost('LocalHost', ['localhost'])).toBe(true);
    expect(isAllowedHost('evil.example', ['localhost'])).toBe(false);
    expect(isAllowedHost(undefined, ['localhost'])).toBe(false);
  });

  it('refuses foreign and null origins and cross-site fetches, lets non-browser clients through', () => {
    const allowed = ['https://poses.example'];
    expect(crossOriginRefusal({ origin: 'https://poses.example' }, allowed)).toBeUndefined();
    expect(crossOriginRefusal({ origin: 'http://evil.example' }, allowed)).toMatch(/evil\.example/);
    expect(crossOriginRefusal({ origin: 'null' }, allowed)).toMatch(/origin null/);
    expect(crossOriginRefusal({ 'sec-fetch-site': 'cross-site' }, allowed)).toMatch(/cross-site/);
    expect(crossOriginRefusal({}, allowed)).toBeUndefined();
  });
});

import { accessOf, bearerTokenOf } from './tokens';

const tokens = { readWrite: ['rw-token-0123456789'], read: ['ro-token-0123456789'] };

describe('accessOf', () => {
  it('tells read-write, read-only and unknown tokens apart', () => {
    expect(accessOf('rw-token-0123456789', tokens)).toBe('read-write');
    expect(accessOf('ro-token-0123456789', tokens)).toBe('read');
    expect(accessOf('rw-token-012345678', tokens)).toBeUndefined();
    expect(accessOf('', tokens)).toBeUndefined();
  });
});

describe('bearerTokenOf', () => {
  it('reads the token of a Bearer header only', () => {
    expect(bearerTokenOf('Bearer abc')).toBe('abc');
    expect(bearerTokenOf('bearer  abc ')).toBe('abc');
    expect(bearerTokenOf('Basic abc')).toBeUndefined();
    expect(bearerTokenOf('Bearer a b')).toBeUndefined();
    expect(bearerTokenOf(undefined)).toBeUndefined();
  });
});

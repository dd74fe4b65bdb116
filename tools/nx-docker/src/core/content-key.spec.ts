import { computeContentKeys, toContentTag, type KeyedImage, type KeyMaterial } from './content-key';

const material = (overrides: Partial<KeyMaterial> = {}): KeyMaterial => ({
  dockerfileHash: 'd',
  files: [['a.txt', 'h1']],
  buildArgs: {},
  platforms: [],
  labels: {},
  namedContexts: {},
  ...overrides,
});
const pin = (project: string) => ({ contextName: `posestack/${project}`, project, source: 'workspace' as const });

function keysOf(images: Record<string, KeyedImage>) {
  return computeContentKeys(new Map(Object.entries(images)));
}

describe('computeContentKeys', () => {
  it('changes a dependent key when its base changes, and only then', () => {
    const before = keysOf({ base: { material: material(), pins: [] }, app: { material: material({ files: [['b', 'x']] }), pins: [pin('base')] } });
    const after = keysOf({ base: { material: material({ files: [['a.txt', 'h2']] }), pins: [] }, app: { material: material({ files: [['b', 'x']] }), pins: [pin('base')] } });
    expect(after.keys.get('base')).not.toBe(before.keys.get('base'));
    expect(after.keys.get('app')).not.toBe(before.keys.get('app'));
  });

  it('ignores the order of build args and labels', () => {
    const a = keysOf({ x: { material: material({ buildArgs: { A: '1', B: '2' }, labels: { l: '1', m: '2' } }), pins: [] } });
    const b = keysOf({ x: { material: material({ buildArgs: { B: '2', A: '1' }, labels: { m: '2', l: '1' } }), pins: [] } });
    expect(a.keys.get('x')).toBe(b.keys.get('x'));
  });

  it('reports cycles and bases without a docker-build target per project', () => {
    const { errors } = keysOf({ a: { material: material(), pins: [pin('b')] }, b: { material: material(), pins: [pin('a')] }, c: { material: material(), pins: [pin('gone')] } });
    expect(errors.get('a')).toMatch(/cycle: a -> b -> a/);
    expect(errors.get('c')).toMatch(/"gone" is used as a base image but has no docker-build target/);
  });
});

it('content tags are nx- plus 16 hex digits', () => {
  expect(toContentTag('0123456789abcdef0123')).toBe('nx-0123456789abcdef');
});

import { planPrune, type StoredTag } from './plan-prune';

const tag = (repository: string, name: string, id: string, createdAt: number): StoredTag => ({ repository, tag: name, id, createdAt });
const key = (n: number) => `nx-${String(n).padStart(16, '0')}`;

describe('planPrune', () => {
  it('removes the stale content tags, keeping those image.json names and the newest N per repository', () => {
    const tags = [1, 2, 3, 4, 5].map((n) => tag('ws/base', key(n), `id${n}`, n * 1000));
    const plan = planPrune({ scope: 'ws', keepNewest: 2, referenced: new Set([`ws/base:${key(1)}`]), tags });
    expect(plan.remove.map((entry) => entry.ref)).toEqual([`ws/base:${key(3)}`, `ws/base:${key(2)}`]);
    expect(plan.keep).toEqual([
      { ref: `ws/base:${key(5)}`, id: 'id5', reason: 'newest' },
      { ref: `ws/base:${key(4)}`, id: 'id4', reason: 'newest' },
      { ref: `ws/base:${key(1)}`, id: 'id1', reason: 'named by image.json' },
    ]);
  });

  it('counts the newest per repository, not across the workspace', () => {
    const tags = [tag('ws/a', key(1), 'a1', 1), tag('ws/a', key(2), 'a2', 2), tag('ws/b', key(3), 'b3', 3)];
    const plan = planPrune({ scope: 'ws', keepNewest: 1, referenced: new Set(), tags });
    expect(plan.remove.map((entry) => entry.ref)).toEqual([`ws/a:${key(1)}`]);
  });

  it('never touches user tags, other prefixes or tags that only look like content tags', () => {
    const tags = [
      tag('ws/a', 'latest', 'a0', 1),
      tag('ws/a', 'nx-short', 'a1', 1),
      tag('other/a', key(1), 'o1', 1),
      tag('wsx/a', key(2), 'x2', 1),
      tag('ws/a', key(3), 'a3', 1),
    ];
    const plan = planPrune({ scope: 'ws', keepNewest: 0, referenced: new Set(), tags });
    expect(plan.remove.map((entry) => entry.ref)).toEqual([`ws/a:${key(3)}`]);
  });

  it('keeps a stale content tag whose image a kept tag or a user tag also points at (a registry deletes by digest)', () => {
    const tags = [
      tag('ws/a', key(1), 'shared', 1),
      tag('ws/a', key(2), 'shared', 2),
      tag('ws/a', key(3), 'latest-image', 3),
      tag('ws/a', 'latest', 'latest-image', 3),
      tag('ws/a', key(4), 'alone', 4),
    ];
    const plan = planPrune({ scope: 'ws/', keepNewest: 0, referenced: new Set([`ws/a:${key(2)}`]), tags });
    expect(plan.remove.map((entry) => entry.ref)).toEqual([`ws/a:${key(4)}`]);
    expect(plan.keep.find((entry) => entry.ref === `ws/a:${key(1)}`)?.reason).toBe('same image as a kept tag');
    expect(plan.keep.find((entry) => entry.ref === `ws/a:${key(3)}`)?.reason).toBe('same image as a kept tag');
  });

  it('works the same on registry repositories (scope includes the registry path)', () => {
    const registry = '127.0.0.1:5000/cache';
    const tags = [tag(`${registry}/ws/a`, key(1), 'sha256:1', 1), tag(`${registry}/ws/a`, key(2), 'sha256:2', 2), tag('ws/a', key(3), 'x', 3)];
    const plan = planPrune({ scope: `${registry}/ws`, keepNewest: 1, referenced: new Set(), tags });
    expect(plan.remove).toEqual([{ ref: `${registry}/ws/a:${key(1)}`, id: 'sha256:1' }]);
  });

  it('refuses to guess when a creation time is unreadable', () => {
    const tags = [tag('ws/a', key(1), 'a1', Number.NaN)];
    expect(() => planPrune({ scope: 'ws', keepNewest: 1, referenced: new Set(), tags })).toThrow(/cannot tell the age of ws\/a:nx-0+1/);
  });
});

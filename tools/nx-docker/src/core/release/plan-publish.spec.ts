import { planPublish, type PublishFacts } from './plan-publish';

const facts: PublishFacts = {
  contentTagRef: 'acme/api:nx-0123456789abcdef',
  contentImageId: 'sha256:aaa',
  releaseRef: 'registry.example/acme/api:1.2.0',
  releaseImageId: 'sha256:aaa',
};

describe('planPublish', () => {
  it('pushes a version tag the registry lacks when it is the current content tag', () => {
    expect(planPublish(facts)).toMatchObject({ action: 'push', ref: facts.releaseRef });
  });

  it('does nothing when the registry holds the same image under the version tag', () => {
    expect(planPublish({ ...facts, remoteDigests: ['sha256:index', 'sha256:aaa'] })).toMatchObject({ action: 'none' });
  });

  it('refuses to overwrite a version tag that holds other content, naming both digests', () => {
    const plan = planPublish({ ...facts, remoteDigests: ['sha256:bbb'] });
    expect(plan.action).toBe('refuse');
    expect(plan.message).toMatch(/already exists in the registry with other content \(sha256:bbb, not sha256:aaa\)/);
  });

  it('refuses a version tag left on an older build, and a content tag that was never built', () => {
    expect(planPublish({ ...facts, releaseImageId: 'sha256:old' }).message).toMatch(/sources changed since the version step; run nx release version again/);
    expect(planPublish({ ...facts, releaseImageId: undefined }).message).toMatch(/run nx release version first/);
    expect(planPublish({ ...facts, contentImageId: undefined }).message).toMatch(/build it first/);
  });
});

import type { ImageRefUse } from '../../../core/dockerfile/parse-dockerfile';
import type { WorkspacePin } from '../../../core/image-graph';
import type { PinnedContext } from './build-argv';

const sourceNames: Record<WorkspacePin['source'], string> = {
  workspace: 'workspace build',
  airgap: 'airgap stand-in',
  'named-context': 'named context from project',
};

/** One line per image the build reads, saying where it comes from (printed before the build). */
export function describeSources(
  refs: readonly ImageRefUse[],
  pins: readonly (PinnedContext & Pick<WorkspacePin, 'source' | 'project'>)[],
  upstream: readonly string[],
): string[] {
  const lines = pins.map((pin) => {
    const role = refs.some((ref) => ref.ref === pin.contextName && ref.kind === 'from') ? 'base' : 'context';
    const kind = pin.source === 'airgap' ? 'root' : role;
    return `${kind} ${pin.contextName} <- ${sourceNames[pin.source]} ${pin.imageRef} (project ${pin.project})`;
  });
  return [...lines, ...upstream.map((ref) => `root ${ref} <- upstream registry (resolved by BuildKit)`)];
}

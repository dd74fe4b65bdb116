import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NxDockerError } from '../../../core/errors';

interface ImageJsonRefs {
  image?: string;
  contentTag?: string;
  tags?: string[];
}

/** Every reference some dist/docker/<project>/image.json of this checkout names; `images` are their repositories. */
export function readReferencedRefs(workspaceRoot: string): { refs: Set<string>; images: Set<string> } {
  const refs = new Set<string>();
  const images = new Set<string>();
  const dir = join(workspaceRoot, 'dist', 'docker');
  if (!existsSync(dir)) return { refs, images };
  for (const project of readdirSync(dir)) {
    const file = join(dir, project, 'image.json');
    if (!existsSync(file)) continue;
    let data: ImageJsonRefs;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as ImageJsonRefs;
    } catch (error) {
      throw new NxDockerError(`${file} is not valid JSON (delete it, or rebuild the project): ${(error as Error).message}`, { cause: error });
    }
    for (const tag of data.tags ?? []) refs.add(tag);
    if (data.image) {
      images.add(data.image);
      if (data.contentTag) refs.add(`${data.image}:${data.contentTag}`);
    }
  }
  return { refs, images };
}

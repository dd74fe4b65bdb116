import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real photograph of one person for the end-to-end analysis. No image is committed here: scikit-image ships
 * `astronaut.png` (public domain, NASA) and the pose-service venv (npm run setup) installs it.
 */
export function findPhoto(workspaceRoot: string, explicitPath: string | undefined): string | undefined {
  if (explicitPath) {
    if (!existsSync(explicitPath)) throw new Error(`E2E_IMAGE=${explicitPath} does not exist`);
    return explicitPath;
  }
  const lib = join(workspaceRoot, 'apps', 'pose-service', '.venv', 'lib');
  if (!existsSync(lib)) return undefined;
  for (const python of readdirSync(lib)) {
    const candidate = join(lib, python, 'site-packages', 'skimage', 'data', 'astronaut.png');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

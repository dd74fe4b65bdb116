/** Image references in Docker's "familiar" form, so `docker.io/library/debian:12` and `debian:12` compare equal. */
export interface ImageRef {
  /** Familiar repository name without tag or digest, e.g. `debian`, `posestack/base-node`, `ghcr.io/x/y`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  const [nameAndTag, digest] = ref.split('@', 2);
  const lastSlash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon === -1 ? undefined : nameAndTag.slice(colon + 1);
  return { repository: toFamiliarName(name), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function toFamiliarName(name: string): string {
  const lower = name.toLowerCase();
  for (const prefix of ['docker.io/library/', 'index.docker.io/library/', 'docker.io/', 'index.docker.io/']) {
    if (lower.startsWith(prefix)) return name.slice(prefix.length);
  }
  return name;
}

/** True when the first path component names a registry host, which `--push` needs to go anywhere but Docker Hub. */
export function isRegistryQualified(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash === -1) return false;
  const host = ref.slice(0, slash);
  return host.includes('.') || host.includes(':') || host === 'localhost';
}

/** The full reference of `repository` with `tag`, e.g. `posestack/base-node:nx-0123456789abcdef`. */
export function formatImageRef(repository: string, tag: string): string {
  return `${repository}:${tag}`;
}

/** Parsing of container image references (`registry/repo:tag@digest`). */

/** The parts of an image reference. */
export interface ImageRef { registry: string; repository: string; tag?: string; digest?: string }

/** Splits an image reference; Docker Hub images get the `library/` prefix dropped (`nginx`). */
export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) { tag = rest.slice(colon + 1); rest = rest.slice(0, colon); }
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') { registry = first; rest = rest.slice(slash + 1); }
  }
  let repository = rest.toLowerCase();
  if (repository.startsWith('library/')) repository = repository.slice('library/'.length);
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

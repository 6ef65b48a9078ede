// Semver-aware comparison of container image references. A tag that cannot be compared
// (`latest`, `edge`, a digest, a changed variant) is reported as such, never guessed as minor.

export interface ImageRef {
  /** Repository without the default registry: `grafana/grafana-oss`, `ghcr.io/org/app`, `postgres`. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

export type Bump = 'major' | 'minor' | 'patch' | 'none' | 'incomparable';
export type VersionScheme = 'semver' | 'calver' | 'none';

export interface TagComparison {
  bump: Bump;
  scheme: VersionScheme;
  /** Why a bump is what it is, when that is not obvious (0.x, calendar versions, variants). */
  note: string | null;
}

const DEFAULT_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageRef(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  if (parts.length > 1 && DEFAULT_REGISTRIES.has(parts[0]!)) parts.shift();
  if (parts.length === 2 && parts[0] === 'library') parts.shift();
  return { repository: parts.join('/'), tag, digest };
}

interface ParsedTag {
  numbers: number[];
  /** Flavour of the image (`alpine`, `bookworm`): a change of flavour is not a version bump. */
  variant: string;
  /** Build identifiers that do not change the version (a git hash, `ls45`, `r1`). */
  build: string;
}

const VERSION = /^(?:version-)?v?(\d+(?:\.\d+)*)(?:[-_+.](.*))?$/i;

/** `1`, `ls45`, `r2`, `build7` or a git hash (hex with a letter and a digit, not a word like `beef`). */
function isBuildPart(part: string): boolean {
  if (/^(?:\d+|ls\d+|r\d+|build\d+)$/i.test(part)) return true;
  return /^[0-9a-f]{7,40}$/i.test(part) && /\d/.test(part) && /[a-f]/i.test(part);
}

export function parseTag(tag: string): ParsedTag | null {
  const m = VERSION.exec(tag);
  if (!m) return null;
  const numbers = m[1]!.split('.').map(Number);
  const variant: string[] = [];
  const build: string[] = [];
  for (const part of (m[2] ?? '').split(/[-_+.]/).filter(Boolean)) {
    if (isBuildPart(part)) build.push(part);
    else variant.push(part.toLowerCase());
  }
  return { numbers, variant: variant.join('-'), build: build.join('-') };
}

/** Compares two tags of the same repository. */
export function compareTags(from: string | null, to: string | null): TagComparison {
  const fromTag = from ?? 'latest';
  const toTag = to ?? 'latest';
  if (fromTag === toTag) return { bump: 'none', scheme: 'none', note: null };
  const a = parseTag(fromTag);
  const b = parseTag(toTag);
  if (!a || !b) {
    return { bump: 'incomparable', scheme: 'none', note: `cannot compare tags ${fromTag} -> ${toTag}: not version numbers` };
  }
  if (a.variant !== b.variant) {
    return { bump: 'incomparable', scheme: 'none', note: `image variant changed (${a.variant || 'none'} -> ${b.variant || 'none'})` };
  }
  const calver = (a.numbers[0] ?? 0) >= 1000 && (b.numbers[0] ?? 0) >= 1000;
  const scheme: VersionScheme = calver ? 'calver' : 'semver';
  const length = Math.max(a.numbers.length, b.numbers.length);
  for (let i = 0; i < length; i++) {
    const x = a.numbers[i] ?? 0;
    const y = b.numbers[i] ?? 0;
    if (x === y) continue;
    const downgrade = y < x ? ' (a downgrade)' : '';
    if (i === 0) {
      return { bump: 'major', scheme, note: calver ? `calendar version: the year changed${downgrade}` : downgrade.trim() || null };
    }
    if (i === 1 && a.numbers[0] === 0 && !calver) {
      // Semver §4: in 0.y.z anything may change; like npm's caret, a 0.y bump counts as major.
      return { bump: 'major', scheme, note: `0.x version: a minor bump may break (semver §4)${downgrade}` };
    }
    return { bump: i === 1 ? 'minor' : 'patch', scheme, note: downgrade.trim() || null };
  }
  if (a.build !== b.build) return { bump: 'patch', scheme, note: `same version, new build (${a.build || 'none'} -> ${b.build || 'none'})` };
  return { bump: 'none', scheme, note: `same version written differently (${fromTag} -> ${toTag})` };
}

export interface ImageComparison extends TagComparison {
  from: ImageRef;
  to: ImageRef;
  repositoryChanged: boolean;
}

/** Compares two image references; a different repository or a bare digest is incomparable. */
export function compareImages(from: string, to: string): ImageComparison {
  const a = parseImageRef(from);
  const b = parseImageRef(to);
  const repositoryChanged = a.repository !== b.repository;
  const base = { from: a, to: b, repositoryChanged };
  if (repositoryChanged && lastSegment(a.repository) !== lastSegment(b.repository)) {
    return { ...base, bump: 'incomparable', scheme: 'none', note: `a different image (${a.repository} -> ${b.repository})` };
  }
  if (a.tag === b.tag && a.digest !== b.digest) {
    return { ...base, bump: 'incomparable', scheme: 'none', note: 'the digest changed: what it holds cannot be told from the reference' };
  }
  const tags = compareTags(a.tag, b.tag);
  const moved = repositoryChanged ? `image moved from ${a.repository} to ${b.repository}` : null;
  return { ...base, ...tags, note: [moved, tags.note].filter(Boolean).join('; ') || null };
}

function lastSegment(repository: string): string {
  return repository.slice(repository.lastIndexOf('/') + 1);
}

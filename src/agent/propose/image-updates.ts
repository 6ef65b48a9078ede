// The image-update proposer (pure): every `image = "repo:tag"` of the Nomad job files, the newest
// tag of the same major version, variant and precision the registry lists, one proposal per repository.
import semver from 'semver';
import { parseImageRef, parseTag } from '../../stages/analyze/jobs/compare-image-tags.js';
import type { FileEdit, Proposal } from './proposal.js';
import { topicSlug } from './proposal.js';

export interface JobFile {
  path: string;
  text: string;
}

export interface ImageUse {
  path: string;
  /** The whole reference as written, e.g. `postgres:16.4`. */
  image: string;
  repository: string;
  tag: string;
}

// `image = "..."` in HCL; interpolated references (`${var.tag}`) are skipped, as are digests.
const IMAGE_LINE = /^(\s*image\s*=\s*")([^"$@]+)(")/gm;

export function findImageUses(files: JobFile[]): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const file of files) {
    for (const m of file.text.matchAll(IMAGE_LINE)) {
      const image = m[2]!;
      const ref = parseImageRef(image);
      if (ref.tag && !ref.digest) uses.push({ path: file.path, image, repository: ref.repository, tag: ref.tag });
    }
  }
  return uses;
}

/** Numbers padded to semver's three, so `16.4` and `16.10` order as versions, not strings. */
function toSemver(numbers: number[]): semver.SemVer | null {
  const [major = 0, minor = 0, patch = 0] = numbers;
  return semver.parse(`${major}.${minor}.${patch}`);
}

/**
 * The newest tag that keeps the current one's major version (and minor for 0.x, semver §4), its
 * variant (`-alpine`), its `v` prefix and its precision (`16.4` moves to `16.6`, not `16.6.1`);
 * null when the current tag is already the newest or not a version.
 */
export function newestCompatibleTag(current: string, tags: string[]): string | null {
  const now = parseTag(current);
  const nowVersion = now && toSemver(now.numbers);
  if (!now || !nowVersion || now.numbers.length > 3) return null;
  const prefixed = /^v/i.test(current);
  let best: { tag: string; version: semver.SemVer } | null = null;
  for (const tag of tags) {
    const candidate = parseTag(tag);
    if (!candidate || candidate.variant !== now.variant || candidate.build !== '' || candidate.numbers.length !== now.numbers.length) continue;
    if (/^v/i.test(tag) !== prefixed) continue;
    const version = toSemver(candidate.numbers);
    if (!version || version.major !== nowVersion.major || !semver.gt(version, nowVersion)) continue;
    if (nowVersion.major === 0 && version.minor !== nowVersion.minor) continue;
    if (!best || semver.gt(version, best.version)) best = { tag, version };
  }
  return best?.tag ?? null;
}

/** One proposal per image repository whose tag has a newer compatible release. */
export function planImageUpdates(files: JobFile[], tagsByRepository: Map<string, string[]>): Proposal[] {
  const byRepository = new Map<string, ImageUse[]>();
  for (const use of findImageUses(files)) byRepository.set(use.repository, [...(byRepository.get(use.repository) ?? []), use]);
  const proposals: Proposal[] = [];
  for (const [repository, uses] of [...byRepository].sort(([a], [b]) => a.localeCompare(b))) {
    const tags = tagsByRepository.get(repository);
    if (!tags) continue;
    // Jobs on different tags of one image each move within their own major.
    const updates = uses.map((use) => ({ use, to: newestCompatibleTag(use.tag, tags) })).filter((u): u is { use: ImageUse; to: string } => u.to !== null);
    if (updates.length === 0) continue;
    const edits = new Map<string, string>(files.filter((f) => updates.some((u) => u.use.path === f.path)).map((f) => [f.path, f.text]));
    for (const { use, to } of updates) {
      const next = use.image.slice(0, use.image.length - use.tag.length) + to;
      edits.set(use.path, edits.get(use.path)!.replace(IMAGE_LINE, (line, open: string, image: string, close: string) => (image === use.image ? `${open}${next}${close}` : line)));
    }
    const from = [...new Set(updates.map((u) => u.use.tag))].join(', ');
    const to = [...new Set(updates.map((u) => u.to))].join(', ');
    const paths = [...new Set(updates.map((u) => u.use.path))].sort();
    proposals.push({
      kind: 'image-update',
      topic: topicSlug(`image-${repository}`),
      title: `Update ${repository} to ${to}`,
      rationale: `The registry lists a newer release of \`${repository}\` within the same major version (${from} → ${to}). Same major version: no breaking changes are expected by semver; read the upstream release notes before merging.`,
      edits: [...edits].map(([path, content]): FileEdit => ({ path, content })),
      versionChanges: [{ name: repository, from, to, paths }],
    });
  }
  return proposals;
}

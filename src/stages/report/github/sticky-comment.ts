// The one sticky comment per PR: a hidden marker names the PR, hidden section markers keep the
// review and the deploy outcome apart so each stage rewrites only its own part.
import type { GitHubUser, IssueComment } from '../../../ports/github.js';
import { GITHUB_LIMITS, fitMarkdown, truncationNote } from './limits.js';

export const STICKY_SECTIONS = ['review', 'deploy'] as const;
export type StickySection = (typeof STICKY_SECTIONS)[number];

/** Scoped per PR, so a comment copied to another PR is not taken for that PR's own. */
export function stickyMarker(pr: number): string {
  return `<!-- steward:sticky pr=${pr} -->`;
}

const sectionOpen = (key: string) => `<!-- steward:section ${key} -->`;
const sectionClose = (key: string) => `<!-- /steward:section ${key} -->`;

/** Who Steward posts as: a login when known (a PAT), else any Bot account (the Actions token). */
export interface CommentIdentity {
  login?: string;
}

function isOwnAuthor(author: GitHubUser | null, identity: CommentIdentity): boolean {
  if (!author) return false;
  return identity.login ? author.login === identity.login : author.type === 'Bot';
}

/**
 * Steward's sticky comment on `pr`, or null. Only Steward's own comments count: anyone can type
 * the marker into a comment, and Steward must not adopt (or overwrite) a human's text. When a race
 * left two, the oldest (lowest id) wins.
 */
export function findStickyComment(comments: IssueComment[], pr: number, identity: CommentIdentity = {}): IssueComment | null {
  const marker = stickyMarker(pr);
  const own = comments.filter((c) => c.body.includes(marker) && isOwnAuthor(c.author, identity));
  own.sort((a, b) => a.id - b.id);
  return own[0] ?? null;
}

/**
 * Section content quotes untrusted text (diff lines, file names): a Steward marker inside it would
 * let a PR forge a section (e.g. a fake "deployed" note) the next run keeps. A zero-width space
 * after `<!--` makes any such marker inert and invisible.
 */
export function neutraliseMarkers(content: string): string {
  return content.replace(/<!--(\s*\/?steward:)/g, '<!--\u200b$1');
}

/** The sections of a sticky comment body Steward wrote earlier. */
export function parseStickySections(body: string): Partial<Record<StickySection, string>> {
  const sections: Partial<Record<StickySection, string>> = {};
  for (const key of STICKY_SECTIONS) {
    const start = body.indexOf(sectionOpen(key));
    const end = body.indexOf(sectionClose(key));
    if (start === -1 || end === -1 || end < start) continue;
    sections[key] = body.slice(start + sectionOpen(key).length, end).replace(/^\n+|\n+$/g, '');
  }
  return sections;
}

export interface StickyBodyOptions {
  fullReportUrl?: string;
  limit?: number;
}

/**
 * The comment body: marker, then the sections in a fixed order, within GitHub's limit. The later
 * sections (the deploy outcome) are short and news: the review section is the one trimmed.
 */
export function buildStickyBody(pr: number, sections: Partial<Record<StickySection, string>>, options: StickyBodyOptions = {}): string {
  const limit = options.limit ?? GITHUB_LIMITS.commentBody;
  const note = truncationNote(options.fullReportUrl);
  const wrap = (key: StickySection, content: string) => `${sectionOpen(key)}\n${neutraliseMarkers(content)}\n${sectionClose(key)}`;
  const head = `${stickyMarker(pr)}\n`;
  const present = STICKY_SECTIONS.filter((key) => sections[key] !== undefined);
  // Each section gets what the sections after it leave; a short later section costs the first little.
  const out: string[] = [];
  let used = head.length;
  for (const [index, key] of present.entries()) {
    const rest = present.slice(index + 1).reduce((n, k) => n + Math.min(wrap(k, sections[k]!).length, 4096) + 2, 0);
    const overhead = wrap(key, '').length + 2;
    const room = Math.max(0, limit - used - rest - overhead);
    const piece = wrap(key, fitMarkdown(sections[key]!, room, note));
    out.push(piece);
    used += piece.length + 2;
  }
  const body = head + out.join('\n\n');
  return body.length <= limit ? body : fitMarkdown(body, limit, note);
}

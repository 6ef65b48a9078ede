// Writes one section of the sticky PR comment: finds Steward's comment by its marker (all pages),
// edits it in place, and creates it only when the PR has none. Never one comment per run.
import type { GitHubComments } from '../../../ports/github.js';
import type { Logger } from '../../../ports/logger.js';
import type { Redactor } from '../../../redact.js';
import { buildStickyBody, findStickyComment, parseStickySections, type CommentIdentity, type StickySection } from './sticky-comment.js';

export interface StickyCommentDeps {
  github: GitHubComments;
  redactor: Redactor;
  logger: Logger;
  identity?: CommentIdentity;
}

export interface StickyCommentInput {
  issue: number;
  section: StickySection;
  content: string;
  fullReportUrl?: string;
}

export interface StickyCommentResult {
  commentId: number;
  htmlUrl: string;
  action: 'created' | 'updated' | 'unchanged';
}

export async function upsertStickyComment(deps: StickyCommentDeps, input: StickyCommentInput): Promise<StickyCommentResult> {
  const comments = await deps.github.listIssueComments(input.issue);
  const existing = findStickyComment(comments, input.issue, deps.identity);
  const sections = existing ? parseStickySections(existing.body) : {};
  sections[input.section] = deps.redactor.redact(input.content);
  const body = deps.redactor.redact(buildStickyBody(input.issue, sections, input.fullReportUrl ? { fullReportUrl: input.fullReportUrl } : {}));
  if (!existing) {
    const created = await deps.github.createIssueComment(input.issue, body);
    deps.logger.info(`created the Steward comment on #${input.issue}`);
    return { commentId: created.id, htmlUrl: created.htmlUrl, action: 'created' };
  }
  if (existing.body === body) return { commentId: existing.id, htmlUrl: existing.htmlUrl, action: 'unchanged' };
  const updated = await deps.github.updateIssueComment(existing.id, body);
  deps.logger.info(`updated the Steward comment on #${input.issue}`);
  return { commentId: updated.id, htmlUrl: updated.htmlUrl, action: 'updated' };
}

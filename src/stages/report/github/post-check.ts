// Posts a check run with its annotations in batches of 50, or a commit status where the token
// cannot create check runs (a PAT, or a GITHUB_TOKEN without `checks: write`).
import { ApiError } from '../../../errors.js';
import type { CheckAnnotation, GitHubChecks } from '../../../ports/github.js';
import type { Logger } from '../../../ports/logger.js';
import type { Redactor } from '../../../redact.js';
import { buildStatusFromCheck, type CheckContent } from './check-format.js';
import { GITHUB_LIMITS } from './limits.js';

export interface PostCheckDeps {
  github: GitHubChecks;
  redactor: Redactor;
  logger: Logger;
}

export type PostedCheck =
  | { kind: 'check-run'; id: number; htmlUrl: string | null; annotationRequests: number; annotationsDropped: number }
  | { kind: 'status'; state: string };

/** A check started early (`in_progress`), completed later by postCheck. */
export type CheckHandle = { kind: 'check-run'; id: number } | { kind: 'status' };

export interface PostCheckOptions {
  /** Annotations beyond this many are dropped (and counted); default 500, i.e. 10 requests. */
  maxAnnotations?: number;
}

/** 403 and 404 are what GitHub answers when the token may not create check runs. */
function cannotCreateChecks(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

export function batchAnnotations(annotations: CheckAnnotation[], size: number = GITHUB_LIMITS.annotationsPerRequest): CheckAnnotation[][] {
  const batches: CheckAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}

function redactContent(content: CheckContent, redactor: Redactor): CheckContent {
  return {
    ...content,
    title: redactor.redact(content.title),
    summary: redactor.redact(content.summary),
    ...(content.text === undefined ? {} : { text: redactor.redact(content.text) }),
    annotations: content.annotations.map((a) => ({ ...a, message: redactor.redact(a.message), ...(a.title ? { title: redactor.redact(a.title) } : {}) })),
  };
}

/** Opens an `in_progress` check (or a `pending` status) at the start of a long run. */
export async function startCheck(deps: PostCheckDeps, sha: string, check: { name: string; title: string; detailsUrl?: string }): Promise<CheckHandle> {
  const title = deps.redactor.redact(check.title);
  try {
    const run = await deps.github.createCheckRun({ name: check.name, headSha: sha, status: 'in_progress', ...(check.detailsUrl ? { detailsUrl: check.detailsUrl } : {}), output: { title, summary: title } });
    return { kind: 'check-run', id: run.id };
  } catch (error) {
    if (!cannotCreateChecks(error)) throw error;
    deps.logger.warn('the GitHub token cannot create check runs: reporting through a commit status instead');
    await deps.github.createCommitStatus(sha, { state: 'pending', context: check.name, description: title.slice(0, GITHUB_LIMITS.statusDescription), ...(check.detailsUrl ? { targetUrl: check.detailsUrl } : {}) });
    return { kind: 'status' };
  }
}

/** Completes the check of `sha` (creating it unless `handle` names one). */
export async function postCheck(deps: PostCheckDeps, sha: string, content: CheckContent, handle?: CheckHandle, options: PostCheckOptions = {}): Promise<PostedCheck> {
  const safe = redactContent(content, deps.redactor);
  if (handle?.kind === 'status') return postStatus(deps, sha, safe);
  const max = options.maxAnnotations ?? 500;
  const batches = batchAnnotations(safe.annotations.slice(0, max));
  const output = (annotations: CheckAnnotation[] | undefined) => ({
    title: safe.title,
    summary: safe.summary,
    ...(safe.text === undefined ? {} : { text: safe.text }),
    ...(annotations ? { annotations } : {}),
  });
  const completed = { status: 'completed' as const, conclusion: safe.conclusion, ...(safe.detailsUrl ? { detailsUrl: safe.detailsUrl } : {}) };
  let id: number;
  let htmlUrl: string | null = null;
  if (handle?.kind === 'check-run') {
    id = handle.id;
    await deps.github.updateCheckRun(id, { ...completed, output: output(batches[0]) });
  } else {
    try {
      const run = await deps.github.createCheckRun({ name: safe.name, headSha: sha, ...completed, output: output(batches[0]) });
      id = run.id;
      htmlUrl = run.htmlUrl;
    } catch (error) {
      if (!cannotCreateChecks(error)) throw error;
      deps.logger.warn('the GitHub token cannot create check runs: reporting through a commit status instead');
      return postStatus(deps, sha, safe);
    }
  }
  // GitHub appends the annotations of each update to the run's list.
  for (const batch of batches.slice(1)) await deps.github.updateCheckRun(id, { output: output(batch) });
  const dropped = Math.max(0, safe.annotations.length - max);
  if (dropped > 0) deps.logger.warn(`${dropped} annotations beyond the first ${max} were not sent; the report lists them all`);
  return { kind: 'check-run', id, htmlUrl, annotationRequests: Math.max(1, batches.length), annotationsDropped: dropped };
}

async function postStatus(deps: PostCheckDeps, sha: string, content: CheckContent): Promise<PostedCheck> {
  const status = buildStatusFromCheck(content);
  await deps.github.createCommitStatus(sha, status);
  return { kind: 'status', state: status.state };
}

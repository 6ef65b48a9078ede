// Check runs, commit statuses and issue comments, with GitHub's limits enforced (50 annotations
// per request, 65,535 characters of check text, 65,536 of comment body, 140 of status text).
import { fail, int, invalid, ok, paginate, type HandlerContext, type Route } from './http.js';
import type { AnnotationRec, CheckRunRec } from './state.js';

const TEXT_LIMIT = 65_535;
const BODY_LIMIT = 65_536;

interface OutputIn {
  title?: string;
  summary?: string;
  text?: string;
  annotations?: AnnotationRec[];
}

function checkOutput(run: CheckRunRec, output: OutputIn | undefined) {
  if (!output) return null;
  for (const field of ['summary', 'text'] as const) {
    if ((output[field]?.length ?? 0) > TEXT_LIMIT) return invalid('CheckRun', `output.${field}`, `${field} is too long (maximum is ${TEXT_LIMIT} characters)`);
  }
  const annotations = output.annotations ?? [];
  if (annotations.length > 50) return invalid('CheckRun', 'output.annotations', 'Only 50 annotations are allowed per request');
  run.output = { title: output.title ?? run.output.title, summary: output.summary ?? run.output.summary, text: output.text ?? run.output.text };
  // Each request's annotations are appended to the run's list.
  run.annotations.push(...annotations);
  if (annotations.length > 0) run.annotationBatches.push(annotations.length);
  return null;
}

function applyCheck(ctx: HandlerContext, run: CheckRunRec) {
  const b = ctx.body;
  if (b.name !== undefined) run.name = b.name;
  if (b.details_url !== undefined) run.detailsUrl = b.details_url;
  if (b.external_id !== undefined) run.externalId = b.external_id;
  if (b.status !== undefined) run.status = b.status;
  if (b.conclusion !== undefined) {
    run.conclusion = b.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && !run.completedAt) run.completedAt = ctx.state.now();
  return checkOutput(run, b.output);
}

export const checkAndIssueRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/check-runs',
    operationId: 'checks/create',
    handler: (ctx) => {
      if (!ctx.state.commits.has(ctx.body.head_sha)) return invalid('CheckRun', 'head_sha', 'No commit found for SHA');
      const run: CheckRunRec = {
        id: ctx.state.id(),
        name: ctx.body.name,
        headSha: ctx.body.head_sha,
        status: 'queued',
        conclusion: null,
        detailsUrl: null,
        externalId: null,
        startedAt: ctx.state.now(),
        completedAt: null,
        output: { title: null, summary: null, text: null },
        annotations: [],
        annotationBatches: [],
      };
      const error = applyCheck(ctx, run);
      if (error) return error;
      ctx.state.checkRuns.push(run);
      return ok(ctx.objects.checkRun(run), 201);
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/check-runs/{check_run_id}',
    operationId: 'checks/update',
    handler: (ctx) => {
      const run = ctx.state.checkRuns.find((r) => r.id === int(ctx.params.check_run_id));
      if (!run) return fail(404, 'Not Found');
      const copy = structuredClone(run);
      const error = applyCheck(ctx, copy);
      if (error) return error;
      Object.assign(run, copy);
      return ok(ctx.objects.checkRun(run));
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/statuses/{sha}',
    operationId: 'repos/create-commit-status',
    handler: (ctx) => {
      const sha = ctx.params.sha!;
      if (!ctx.state.commits.has(sha)) return invalid('Status', 'sha', `No commit found for SHA: ${sha}`);
      if ((ctx.body.description?.length ?? 0) > 140) return invalid('Status', 'description', 'description is too long (maximum is 140 characters)');
      const status = {
        id: ctx.state.id(),
        sha,
        state: ctx.body.state,
        context: ctx.body.context ?? 'default',
        description: ctx.body.description ?? null,
        targetUrl: ctx.body.target_url ?? null,
        createdAt: ctx.state.now(),
      };
      ctx.state.statuses.push(status);
      return ok(ctx.objects.status(status), 201);
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/list-comments',
    handler: (ctx) => {
      const issue = int(ctx.params.issue_number);
      if (!ctx.state.hasIssueOrPull(issue)) return fail(404, 'Not Found');
      return paginate(ctx, ctx.state.comments.filter((c) => c.issue === issue).map((c) => ctx.objects.comment(c)));
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    operationId: 'issues/create-comment',
    handler: (ctx) => {
      const issue = int(ctx.params.issue_number);
      if (!ctx.state.hasIssueOrPull(issue)) return fail(404, 'Not Found');
      if (ctx.body.body.length > BODY_LIMIT) return invalid('IssueComment', 'body', `Body is too long (maximum is ${BODY_LIMIT} characters)`);
      return ok(ctx.objects.comment(ctx.state.addComment(issue, ctx.body.body, ctx.state.actor)), 201);
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    operationId: 'issues/update-comment',
    handler: (ctx) => {
      const comment = ctx.state.comments.find((c) => c.id === int(ctx.params.comment_id));
      if (!comment) return fail(404, 'Not Found');
      if (ctx.body.body.length > BODY_LIMIT) return invalid('IssueComment', 'body', `Body is too long (maximum is ${BODY_LIMIT} characters)`);
      comment.body = ctx.body.body;
      comment.updatedAt = ctx.state.now();
      return ok(ctx.objects.comment(comment));
    },
  },
];

// The double's issues (not pull requests): create, get, and update (title, body, state, labels).
import { fail, ok, type Route } from './http.js';

const BODY_LIMIT = 65_536;
const int = (text: string | undefined) => Number(text);

export const issueRoutes: Route[] = [
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues',
    handler: (ctx) => {
      if (typeof ctx.body.body === 'string' && ctx.body.body.length > BODY_LIMIT) return fail(422, 'Validation Failed');
      const labels = (ctx.body.labels ?? []).map((l: string | { name: string }) => (typeof l === 'string' ? l : l.name));
      return ok(ctx.objects.issue(ctx.state.openIssue({ title: String(ctx.body.title), body: ctx.body.body ?? null, labels, user: ctx.state.actor })), 201);
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/issues/{issue_number}',
    handler: (ctx) => {
      const issue = ctx.state.issues.find((i) => i.number === int(ctx.params.issue_number));
      return issue ? ok(ctx.objects.issue(issue)) : fail(404, 'Not Found');
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/issues/{issue_number}',
    handler: (ctx) => {
      const issue = ctx.state.issues.find((i) => i.number === int(ctx.params.issue_number));
      if (!issue) return fail(404, 'Not Found');
      if (typeof ctx.body.body === 'string' && ctx.body.body.length > BODY_LIMIT) return fail(422, 'Validation Failed');
      const at = ctx.state.now();
      if (ctx.body.title !== undefined) issue.title = String(ctx.body.title);
      if (ctx.body.body !== undefined) issue.body = ctx.body.body;
      if (ctx.body.labels !== undefined) issue.labels = ctx.body.labels.map((l: string | { name: string }) => (typeof l === 'string' ? l : l.name));
      if (ctx.body.state === 'closed' && issue.state === 'open') Object.assign(issue, { state: 'closed', closedAt: at, stateReason: ctx.body.state_reason ?? 'completed' });
      if (ctx.body.state === 'open' && issue.state === 'closed') Object.assign(issue, { state: 'open', closedAt: null, stateReason: 'reopened' });
      issue.updatedAt = at;
      return ok(ctx.objects.issue(issue));
    },
  },
];

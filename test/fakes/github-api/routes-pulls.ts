// Pull requests (list, get, create, update, merge), the pull requests of a commit, and
// collaborator permissions.
import { fail, int, invalid, ok, paginate, type HandlerContext, type Route } from './http.js';
import type { PullRec } from './state.js';

function findPull(ctx: HandlerContext): PullRec | undefined {
  return ctx.state.pulls.find((p) => p.number === int(ctx.params.pull_number));
}

export const pullRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls',
    operationId: 'pulls/list',
    handler: (ctx) => {
      const state = ctx.query.get('state') ?? 'open';
      const head = ctx.query.get('head');
      const base = ctx.query.get('base');
      let pulls = ctx.state.pulls.filter((p) => state === 'all' || p.state === state);
      if (head) {
        const [owner, ref] = head.includes(':') ? head.split(/:(.*)/s) : [ctx.state.owner, head];
        pulls = pulls.filter((p) => p.headRef === ref && p.headRepo.split('/')[0] === owner);
      }
      if (base) pulls = pulls.filter((p) => p.baseRef === base);
      const desc = (ctx.query.get('direction') ?? 'desc') === 'desc';
      pulls = [...pulls].sort((a, b) => (desc ? b.number - a.number : a.number - b.number));
      return paginate(ctx, pulls.map((p) => ctx.objects.pullSimple(p)));
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls',
    operationId: 'pulls/create',
    handler: (ctx) => {
      const { head, base, title, body } = ctx.body;
      if (!ctx.state.branch(base)) return invalid('PullRequest', 'base', `base ${base} does not exist`, 'invalid');
      if (!ctx.state.branch(head)) return invalid('PullRequest', 'head', `head ${head} does not exist`, 'invalid');
      if (ctx.state.pulls.some((p) => p.state === 'open' && p.headRef === head && p.baseRef === base)) {
        return invalid('PullRequest', 'head', `A pull request already exists for ${ctx.state.owner}:${head}.`);
      }
      const pr = ctx.state.openPullRequest({ head, base, title, body, user: ctx.state.actor, association: 'NONE' });
      return ok(ctx.objects.pull(pr), 201);
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    operationId: 'pulls/get',
    handler: (ctx) => {
      const pr = findPull(ctx);
      return pr ? ok(ctx.objects.pull(pr)) : fail(404, 'Not Found');
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    operationId: 'pulls/update',
    handler: (ctx) => {
      const pr = findPull(ctx);
      if (!pr) return fail(404, 'Not Found');
      if ((ctx.body.body?.length ?? 0) > 65_536) return invalid('PullRequest', 'body', 'Body is too long (maximum is 65536 characters)');
      if (ctx.body.title !== undefined) pr.title = ctx.body.title;
      if (ctx.body.body !== undefined) pr.body = ctx.body.body;
      if (ctx.body.state === 'closed' && pr.state === 'open') ctx.state.close(pr);
      if (ctx.body.state === 'open' && pr.state === 'closed' && !pr.merged) Object.assign(pr, { state: 'open', closedAt: null, closedHeadSha: null });
      pr.updatedAt = ctx.state.now();
      return ok(ctx.objects.pull(pr));
    },
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    operationId: 'pulls/merge',
    handler: (ctx) => {
      const pr = findPull(ctx);
      if (!pr) return fail(404, 'Not Found');
      if (pr.state !== 'open') return fail(405, 'Pull Request is not mergeable');
      const sha = ctx.state.merge(pr, ctx.state.user('alice'));
      return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    operationId: 'repos/list-pull-requests-associated-with-commit',
    handler: (ctx) => {
      const sha = ctx.params.commit_sha!;
      if (!ctx.state.commits.has(sha)) return fail(422, `No commit found for SHA: ${sha}`);
      // GitHub lists merged PRs that brought the commit in, and open PRs whose head contains it.
      const pulls = ctx.state.pulls.filter((p) => (p.merged ? p.mergeCommitSha === sha || ctx.state.ancestors(ctx.state.headShaOf(p)).includes(sha) : p.state === 'open' && ctx.state.ancestors(ctx.state.headShaOf(p)).includes(sha)));
      return paginate(ctx, pulls.map((p) => ctx.objects.pullSimple(p)));
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    operationId: 'repos/get-collaborator-permission-level',
    handler: (ctx) => {
      const login = ctx.params.username!;
      const role = ctx.state.permissions.get(login);
      if (!role) return fail(404, `${login} is not a user`);
      const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
      const user = ctx.objects.user(ctx.state.user(login));
      return ok({ permission, role_name: role, user: { ...user, role_name: role } });
    },
  },
];

// The git data API (refs, blobs, trees, commits, compare) and deployments with their statuses.
import { fail, int, invalid, ok, paginate, type Route } from './http.js';
import type { DeploymentRec, TreeEntry } from './state.js';

export const gitAndDeploymentRoutes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    operationId: 'git/get-ref',
    handler: (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      const sha = ctx.state.refs.get(ref);
      return sha ? ok(ctx.objects.ref(ref, sha)) : fail(404, 'Not Found');
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/refs',
    operationId: 'git/create-ref',
    handler: (ctx) => {
      const { ref, sha } = ctx.body;
      if (!/^refs\/[^/]+\/.+/.test(ref)) return invalid('Reference', 'ref', `${ref} is not a valid ref name.`);
      if (ctx.state.refs.has(ref)) return invalid('Reference', 'ref', 'Reference already exists');
      if (!ctx.state.commits.has(sha)) return invalid('Reference', 'sha', 'Object does not exist');
      ctx.state.refs.set(ref, sha);
      return ok(ctx.objects.ref(ref, sha), 201);
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    operationId: 'git/update-ref',
    handler: (ctx) => {
      const ref = `refs/${ctx.params.ref}`;
      const current = ctx.state.refs.get(ref);
      if (!current) return invalid('Reference', 'ref', 'Reference does not exist');
      if (!ctx.state.commits.has(ctx.body.sha)) return invalid('Reference', 'sha', 'Object does not exist');
      if (!ctx.body.force && !ctx.state.ancestors(ctx.body.sha).includes(current)) return invalid('Reference', 'sha', 'Update is not a fast forward');
      ctx.state.refs.set(ref, ctx.body.sha);
      return ok(ctx.objects.ref(ref, ctx.body.sha));
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/blobs',
    operationId: 'git/create-blob',
    handler: (ctx) => {
      const content = Buffer.from(ctx.body.content, ctx.body.encoding === 'base64' ? 'base64' : 'utf8');
      const sha = ctx.state.putBlob(content);
      return ok({ sha, url: `${ctx.url.replace(/\/git\/blobs$/, '')}/git/blobs/${sha}` }, 201);
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/trees',
    operationId: 'git/create-tree',
    handler: (ctx) => {
      const base = ctx.body.base_tree ? ctx.state.trees.get(ctx.body.base_tree) : new Map<string, TreeEntry>();
      if (!base) return invalid('Tree', 'base_tree', 'base_tree is not a valid tree oid');
      const tree = new Map(base);
      for (const entry of ctx.body.tree as Array<{ path: string; mode: string; type: TreeEntry['type']; sha?: string | null; content?: string }>) {
        const sha = entry.content !== undefined ? ctx.state.putBlob(Buffer.from(entry.content)) : entry.sha;
        if (sha === null) tree.delete(entry.path);
        else if (!sha || !ctx.state.blobs.has(sha)) return invalid('Tree', 'tree.sha', `${sha} is not a valid blob`);
        else tree.set(entry.path, { mode: entry.mode, type: entry.type, sha });
      }
      const sha = ctx.state.putTree(tree);
      const url = ctx.url.replace(/\/git\/trees$/, '');
      return ok({ sha, url: `${url}/git/trees/${sha}`, truncated: false, tree: [...tree].map(([path, e]) => ({ path, mode: e.mode, type: e.type, sha: e.sha, url: `${url}/git/blobs/${e.sha}` })) }, 201);
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/commits',
    operationId: 'git/create-commit',
    handler: (ctx) => {
      const { tree, message, parents = [], author } = ctx.body;
      if (!ctx.state.trees.has(tree)) return invalid('Commit', 'tree', 'Tree SHA does not exist');
      if (parents.some((p: string) => !ctx.state.commits.has(p))) return invalid('Commit', 'parents', 'Parent SHA does not exist or is not a commit object');
      const sha = ctx.state.putCommit(tree, parents, message, author ? { name: author.name, email: author.email } : undefined);
      return ok(ctx.objects.gitCommit(ctx.state.commits.get(sha)!), 201);
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    operationId: 'git/get-commit',
    handler: (ctx) => {
      const commit = ctx.state.commits.get(ctx.params.commit_sha!);
      return commit ? ok(ctx.objects.gitCommit(commit)) : fail(404, 'Not Found');
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/compare/{basehead}',
    operationId: 'repos/compare-commits-with-basehead',
    handler: (ctx) => {
      const [baseRev, headRev] = ctx.params.basehead!.split('...');
      const resolve = (rev: string | undefined) => (rev && ctx.state.commits.has(rev) ? rev : rev ? ctx.state.branch(rev) : undefined);
      const base = resolve(baseRev);
      const head = resolve(headRev);
      if (!base || !head) return fail(404, `No common ancestor between ${baseRev} and ${headRev}.`);
      const headAncestors = ctx.state.ancestors(head);
      const baseAncestors = ctx.state.ancestors(base);
      const mergeBase = headAncestors.find((c) => baseAncestors.includes(c));
      if (!mergeBase) return fail(404, `No common ancestor between ${baseRev} and ${headRev}.`);
      const aheadOf = headAncestors.filter((c) => !baseAncestors.includes(c));
      const behindBy = baseAncestors.filter((c) => !headAncestors.includes(c)).length;
      const status = base === head ? 'identical' : aheadOf.length > 0 && behindBy === 0 ? 'ahead' : aheadOf.length === 0 ? 'behind' : 'diverged';
      const perPage = Math.min(250, Number(ctx.query.get('per_page') ?? 250));
      const web = `https://github.test/${ctx.state.fullName}/compare/${baseRev}...${headRev}`;
      return ok({
        url: ctx.url,
        html_url: web,
        permalink_url: web,
        diff_url: `${web}.diff`,
        patch_url: `${web}.patch`,
        base_commit: ctx.objects.commit(ctx.state.commits.get(base)!),
        merge_base_commit: ctx.objects.commit(ctx.state.commits.get(mergeBase)!),
        status,
        ahead_by: aheadOf.length,
        behind_by: behindBy,
        total_commits: aheadOf.length,
        commits: aheadOf.slice(0, perPage).map((c) => ctx.objects.commit(ctx.state.commits.get(c)!)),
        files: [],
      });
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/deployments',
    operationId: 'repos/list-deployments',
    handler: (ctx) => {
      const q = ctx.query;
      const list = ctx.state.deployments
        .filter((d) => (!q.get('sha') || d.sha === q.get('sha')) && (!q.get('ref') || d.ref === q.get('ref')) && (!q.get('task') || d.task === q.get('task')) && (!q.get('environment') || d.environment === q.get('environment')))
        .sort((a, b) => b.id - a.id);
      return paginate(ctx, list.map((d) => ctx.objects.deployment(d)));
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/deployments',
    operationId: 'repos/create-deployment',
    handler: (ctx) => {
      const b = ctx.body;
      const sha = ctx.state.commits.has(b.ref) ? b.ref : ctx.state.branch(b.ref);
      if (!sha) return invalid('Deployment', 'ref', `No ref found for: ${b.ref}`);
      // Unless told otherwise GitHub requires every commit status context to be green.
      if (b.required_contexts === undefined && ctx.state.statuses.some((s) => s.sha === sha && s.state !== 'success')) return fail(409, 'Conflict: Commit status checks failed for ' + b.ref);
      if ((b.description?.length ?? 0) > 140) return invalid('Deployment', 'description', 'description is too long (maximum is 140 characters)');
      const deployment: DeploymentRec = {
        id: ctx.state.id(),
        sha,
        ref: b.ref,
        task: b.task ?? 'deploy',
        environment: b.environment ?? 'production',
        description: b.description ?? null,
        transient: b.transient_environment ?? false,
        production: b.production_environment ?? (b.environment ?? 'production') === 'production',
        createdAt: ctx.state.now(),
        statuses: [],
      };
      ctx.state.deployments.push(deployment);
      return ok(ctx.objects.deployment(deployment), 201);
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    operationId: 'repos/create-deployment-status',
    handler: (ctx) => {
      const deployment = ctx.state.deployments.find((d) => d.id === int(ctx.params.deployment_id));
      if (!deployment) return fail(404, 'Not Found');
      if ((ctx.body.description?.length ?? 0) > 140) return invalid('DeploymentStatus', 'description', 'description is too long (maximum is 140 characters)');
      const status = { id: ctx.state.id(), state: ctx.body.state, description: ctx.body.description ?? '', logUrl: ctx.body.log_url ?? null, environmentUrl: ctx.body.environment_url ?? null, createdAt: ctx.state.now() };
      deployment.statuses.push(status);
      // auto_inactive (default true): a success marks the environment's other deployments inactive.
      if (status.state === 'success' && ctx.body.auto_inactive !== false && !deployment.transient) {
        for (const other of ctx.state.deployments) {
          if (other === deployment || other.environment !== deployment.environment) continue;
          if (other.statuses.at(-1)?.state === 'success') other.statuses.push({ ...status, id: ctx.state.id(), state: 'inactive', description: 'superseded' });
        }
      }
      return ok(ctx.objects.deploymentStatus(deployment, status), 201);
    },
  },
];

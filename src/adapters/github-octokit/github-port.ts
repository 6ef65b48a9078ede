// GitHubPort over @octokit/rest: each method is one documented REST call (or one paginated list),
// its response checked with zod, its failure converted to ApiError with the token redacted.
import { ApiError } from '../../errors.js';
import type {
  CheckOutput,
  CheckRunInput,
  CheckRunUpdate,
  CommitRelation,
  GitHubPort,
} from '../../ports/github.js';
import { callGitHub, createOctokitClient, statusOf, toApiError, type GitHubClientOptions } from './client.js';
import {
  CheckRunResponse,
  CompareResponse,
  GitCommitResponse,
  GitRefResponse,
  ShaResponse,
  toDeployment,
  toIssueComment,
  toPermission,
  toPullRequest,
} from './schemas.js';

export interface GitHubPortOptions extends GitHubClientOptions {
  /** `owner/name`. */
  repository: string;
}

function outputParams(output: CheckOutput | undefined) {
  if (!output) return undefined;
  return {
    title: output.title,
    summary: output.summary,
    ...(output.text === undefined ? {} : { text: output.text }),
    ...(output.annotations?.length
      ? {
          annotations: output.annotations.map((a) => ({
            path: a.path,
            start_line: a.startLine,
            end_line: a.endLine,
            annotation_level: a.level,
            message: a.message,
            ...(a.title ? { title: a.title } : {}),
          })),
        }
      : {}),
  };
}

function checkParams(input: CheckRunUpdate) {
  return {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.status === undefined ? {} : { status: input.status }),
    ...(input.conclusion === undefined ? {} : { conclusion: input.conclusion }),
    ...(input.detailsUrl === undefined ? {} : { details_url: input.detailsUrl }),
    ...(input.externalId === undefined ? {} : { external_id: input.externalId }),
    ...(input.output === undefined ? {} : { output: outputParams(input.output) }),
  };
}

export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo) throw new ApiError('github', undefined, `repository must be owner/name, got "${options.repository}"`);
  const octokit = createOctokitClient(options);
  const { redactor } = options;
  const call = <T>(what: string, fn: () => Promise<T>) => callGitHub(what, redactor, fn);
  const base = { owner, repo };

  return {
    repository: `${owner}/${repo}`,

    async createCheckRun(input: CheckRunInput) {
      const { data } = await call('create check run', () => octokit.rest.checks.create({ ...base, head_sha: input.headSha, ...checkParams(input), name: input.name }));
      const run = CheckRunResponse.parse(data);
      return { id: run.id, htmlUrl: run.html_url };
    },
    async updateCheckRun(id, update) {
      await call('update check run', () => octokit.rest.checks.update({ ...base, check_run_id: id, ...checkParams(update) }));
    },
    async createCommitStatus(sha, input) {
      await call('create commit status', () =>
        octokit.rest.repos.createCommitStatus({
          ...base,
          sha,
          state: input.state,
          context: input.context,
          description: input.description,
          ...(input.targetUrl ? { target_url: input.targetUrl } : {}),
        }),
      );
    },

    async listIssueComments(issue) {
      const data = await call('list comments', () => octokit.paginate(octokit.rest.issues.listComments, { ...base, issue_number: issue, per_page: 100 }));
      return data.map(toIssueComment);
    },
    async createIssueComment(issue, body) {
      const { data } = await call('create comment', () => octokit.rest.issues.createComment({ ...base, issue_number: issue, body }));
      return toIssueComment(data);
    },
    async updateIssueComment(commentId, body) {
      const { data } = await call('update comment', () => octokit.rest.issues.updateComment({ ...base, comment_id: commentId, body }));
      return toIssueComment(data);
    },

    async getPullRequest(number) {
      const { data } = await call(`get pull request #${number}`, () => octokit.rest.pulls.get({ ...base, pull_number: number }));
      return toPullRequest(data);
    },
    async listOpenPullRequests() {
      const data = await call('list open pull requests', () => octokit.paginate(octokit.rest.pulls.list, { ...base, state: 'open', per_page: 100 }));
      return data.map(toPullRequest);
    },
    async listPullRequestsForBranch(branch) {
      const { data } = await call('list pull requests', () =>
        octokit.rest.pulls.list({ ...base, state: 'all', head: `${owner}:${branch}`, sort: 'created', direction: 'desc', per_page: 100 }),
      );
      return data.map(toPullRequest);
    },
    async listPullRequestsForCommit(sha) {
      const { data } = await call('list pull requests of a commit', () => octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...base, commit_sha: sha, per_page: 100 }));
      return data.map(toPullRequest);
    },
    async createPullRequest(input) {
      const { data } = await call('create pull request', () => octokit.rest.pulls.create({ ...base, ...input }));
      return toPullRequest(data);
    },
    async updatePullRequest(number, update) {
      const { data } = await call(`update pull request #${number}`, () => octokit.rest.pulls.update({ ...base, pull_number: number, ...update }));
      return toPullRequest(data);
    },
    async getPermission(username) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...base, username });
        return toPermission(data);
      } catch (error) {
        // 404: not a collaborator (and not an owner or member with access).
        if (statusOf(error) === 404) return 'none';
        throw toApiError(error, 'get collaborator permission', redactor);
      }
    },

    async getBranchSha(branch) {
      try {
        const { data } = await octokit.rest.git.getRef({ ...base, ref: `heads/${branch}` });
        return GitRefResponse.parse(data).object.sha;
      } catch (error) {
        if (statusOf(error) === 404) return null;
        throw toApiError(error, `get branch ${branch}`, redactor);
      }
    },
    async getCommit(sha) {
      const { data } = await call('get commit', () => octokit.rest.git.getCommit({ ...base, commit_sha: sha }));
      const commit = GitCommitResponse.parse(data);
      const person = (p: { name: string; email: string }) => ({ name: p.name, email: p.email });
      return { tree: commit.tree.sha, parents: commit.parents.map((p) => p.sha), author: person(commit.author), committer: person(commit.committer) };
    },
    async createBlob(content) {
      // base64 keeps any text byte-exact, whatever its encoding quirks.
      const { data } = await call('create blob', () => octokit.rest.git.createBlob({ ...base, content: Buffer.from(content, 'utf8').toString('base64'), encoding: 'base64' }));
      return ShaResponse.parse(data).sha;
    },
    async createTree(baseTree, entries) {
      const tree = entries.map((e) => ({ path: e.path, mode: '100644' as const, type: 'blob' as const, sha: e.blobSha }));
      const { data } = await call('create tree', () => octokit.rest.git.createTree({ ...base, base_tree: baseTree, tree }));
      return ShaResponse.parse(data).sha;
    },
    async createCommit(input) {
      const { data } = await call('create commit', () => octokit.rest.git.createCommit({ ...base, ...input }));
      return ShaResponse.parse(data).sha;
    },
    async createBranch(branch, sha) {
      await call(`create branch ${branch}`, () => octokit.rest.git.createRef({ ...base, ref: `refs/heads/${branch}`, sha }));
    },
    async updateBranch(branch, sha, force) {
      await call(`update branch ${branch}`, () => octokit.rest.git.updateRef({ ...base, ref: `heads/${branch}`, sha, force }));
    },
    async compareCommits(baseSha, headSha): Promise<CommitRelation> {
      const { data } = await call('compare commits', () => octokit.rest.repos.compareCommitsWithBasehead({ ...base, basehead: `${baseSha}...${headSha}`, per_page: 1 }));
      return CompareResponse.parse(data).status;
    },

    async listDeployments(filter) {
      const { data } = await call('list deployments', () => octokit.rest.repos.listDeployments({ ...base, ...filter, per_page: 100 }));
      return data.map(toDeployment);
    },
    async createDeployment(input) {
      const response = await call('create deployment', () =>
        octokit.rest.repos.createDeployment({
          ...base,
          ref: input.sha,
          environment: input.environment,
          task: input.task,
          description: input.description,
          // Steward deploys exactly this commit: no merging of the default branch, no status gate.
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
          ...(input.productionEnvironment === undefined ? {} : { production_environment: input.productionEnvironment }),
        }),
      );
      if (response.status !== 201) throw new ApiError('github', response.status, 'create deployment: GitHub answered without creating one');
      return toDeployment(response.data);
    },
    async createDeploymentStatus(deploymentId, input) {
      await call('create deployment status', () =>
        octokit.rest.repos.createDeploymentStatus({
          ...base,
          deployment_id: deploymentId,
          state: input.state,
          description: input.description,
          auto_inactive: true,
          ...(input.logUrl ? { log_url: input.logUrl } : {}),
          ...(input.environmentUrl ? { environment_url: input.environmentUrl } : {}),
        }),
      );
    },
  };
}

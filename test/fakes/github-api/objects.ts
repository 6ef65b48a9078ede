// GitHub's response objects as the double builds them, typed by @octokit/openapi-types so the
// compiler checks every required field (the OpenAPI validator checks them again at run time).
import type { components } from '@octokit/openapi-types';
import type { CheckRunRec, CommentRec, CommitRec, DeploymentRec, DeploymentStatusRec, IssueRec, PullRec, RepoState, StatusRec, UserRec } from './state.js';

type S = components['schemas'];

export class ObjectBuilder {
  constructor(
    private readonly state: RepoState,
    private readonly api: string,
    private readonly web = 'https://github.test',
  ) {}

  private get repoApi(): string {
    return `${this.api}/repos/${this.state.fullName}`;
  }

  user(u: UserRec): S['simple-user'] {
    const url = `${this.api}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: `U_${u.id}`,
      avatar_url: `${this.web}/avatars/${u.id}`,
      gravatar_id: '',
      url,
      html_url: `${this.web}/${encodeURIComponent(u.login)}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: u.type,
      site_admin: false,
    };
  }

  repository(fullName: string = this.state.fullName): S['repository'] {
    const [owner] = fullName.split('/');
    const u = `${this.api}/repos/${fullName}`;
    const html = `${this.web}/${fullName}`;
    return {
      id: 1,
      node_id: 'R_1',
      name: fullName.split('/')[1]!,
      full_name: fullName,
      license: null,
      forks: 0,
      owner: this.user(this.state.user(owner!)),
      private: true,
      html_url: html,
      description: null,
      fork: fullName !== this.state.fullName,
      url: u,
      archive_url: `${u}/{archive_format}{/ref}`,
      assignees_url: `${u}/assignees{/user}`,
      blobs_url: `${u}/git/blobs{/sha}`,
      branches_url: `${u}/branches{/branch}`,
      collaborators_url: `${u}/collaborators{/collaborator}`,
      comments_url: `${u}/comments{/number}`,
      commits_url: `${u}/commits{/sha}`,
      compare_url: `${u}/compare/{base}...{head}`,
      contents_url: `${u}/contents/{+path}`,
      contributors_url: `${u}/contributors`,
      deployments_url: `${u}/deployments`,
      downloads_url: `${u}/downloads`,
      events_url: `${u}/events`,
      forks_url: `${u}/forks`,
      git_commits_url: `${u}/git/commits{/sha}`,
      git_refs_url: `${u}/git/refs{/sha}`,
      git_tags_url: `${u}/git/tags{/sha}`,
      git_url: `git://github.test/${fullName}.git`,
      issue_comment_url: `${u}/issues/comments{/number}`,
      issue_events_url: `${u}/issues/events{/number}`,
      issues_url: `${u}/issues{/number}`,
      keys_url: `${u}/keys{/key_id}`,
      labels_url: `${u}/labels{/name}`,
      languages_url: `${u}/languages`,
      merges_url: `${u}/merges`,
      milestones_url: `${u}/milestones{/number}`,
      notifications_url: `${u}/notifications{?since,all,participating}`,
      pulls_url: `${u}/pulls{/number}`,
      releases_url: `${u}/releases{/id}`,
      ssh_url: `git@github.test:${fullName}.git`,
      stargazers_url: `${u}/stargazers`,
      statuses_url: `${u}/statuses/{sha}`,
      subscribers_url: `${u}/subscribers`,
      subscription_url: `${u}/subscription`,
      tags_url: `${u}/tags`,
      teams_url: `${u}/teams`,
      trees_url: `${u}/git/trees{/sha}`,
      clone_url: `${html}.git`,
      mirror_url: null,
      hooks_url: `${u}/hooks`,
      svn_url: html,
      homepage: null,
      language: 'Nix',
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 1,
      default_branch: this.state.defaultBranch,
      open_issues_count: 0,
      open_issues: 0,
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: false,
      archived: false,
      disabled: false,
      pushed_at: '2025-01-01T00:00:00Z',
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    };
  }

  checkRun(run: CheckRunRec): S['check-run'] {
    return {
      id: run.id,
      node_id: `CR_${run.id}`,
      head_sha: run.headSha,
      external_id: run.externalId,
      url: `${this.repoApi}/check-runs/${run.id}`,
      html_url: `${this.web}/${this.state.fullName}/runs/${run.id}`,
      details_url: run.detailsUrl,
      status: run.status,
      conclusion: run.conclusion as S['check-run']['conclusion'],
      started_at: run.startedAt,
      completed_at: run.completedAt,
      output: { ...run.output, annotations_count: run.annotations.length, annotations_url: `${this.repoApi}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: 1 },
      app: null,
      pull_requests: [],
    };
  }

  status(s: StatusRec): S['status'] {
    return {
      url: `${this.repoApi}/statuses/${s.sha}`,
      avatar_url: null,
      id: s.id,
      node_id: `ST_${s.id}`,
      state: s.state,
      description: s.description,
      target_url: s.targetUrl,
      context: s.context,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      creator: this.user(this.state.actor),
    };
  }

  comment(c: CommentRec): S['issue-comment'] {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.repoApi}/issues/comments/${c.id}`,
      html_url: `${this.web}/${this.state.fullName}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${this.repoApi}/issues/${c.issue}`,
      body: c.body,
      user: this.user(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'OWNER',
    };
  }

  issue(i: IssueRec): S['issue'] {
    const u = `${this.repoApi}/issues/${i.number}`;
    return {
      id: 8_000_000 + i.number,
      node_id: `I_${i.number}`,
      url: u,
      repository_url: this.repoApi,
      labels_url: `${u}/labels{/name}`,
      comments_url: `${u}/comments`,
      events_url: `${u}/events`,
      html_url: `${this.web}/${this.state.fullName}/issues/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.stateReason,
      title: i.title,
      body: i.body,
      user: this.user(i.user),
      labels: i.labels.map((name, n) => ({ id: 100 + n, node_id: `LA_${n}`, url: `${this.repoApi}/labels/${encodeURIComponent(name)}`, name, description: null, color: 'ededed', default: false })),
      assignee: null,
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: this.state.comments.filter((c) => c.issue === i.number).length,
      closed_at: i.closedAt,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      author_association: i.user.type === 'Bot' ? 'NONE' : 'OWNER',
    };
  }

  pull(pr: PullRec): S['pull-request'] {
    const u = `${this.repoApi}/pulls/${pr.number}`;
    const html = `${this.web}/${this.state.fullName}/pull/${pr.number}`;
    const link = (href: string) => ({ href });
    const headRepoOwner = pr.headRepo.split('/')[0]!;
    const side = (ref: string, sha: string, repo: string, owner: string) => ({ label: `${owner}:${ref}`, ref, sha, repo: this.repository(repo), user: this.user(this.state.user(owner)) });
    return {
      url: u,
      id: 9_000_000 + pr.number,
      node_id: `PR_${pr.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${this.repoApi}/issues/${pr.number}`,
      commits_url: `${u}/commits`,
      review_comments_url: `${u}/comments`,
      review_comment_url: `${this.repoApi}/pulls/comments{/number}`,
      comments_url: `${this.repoApi}/issues/${pr.number}/comments`,
      statuses_url: `${this.repoApi}/statuses/${this.state.headShaOf(pr)}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: this.user(pr.user),
      body: pr.body,
      labels: [],
      milestone: null,
      created_at: pr.createdAt,
      updated_at: pr.updatedAt,
      closed_at: pr.closedAt,
      merged_at: pr.mergedAt,
      merge_commit_sha: pr.mergeCommitSha,
      assignee: null,
      head: side(pr.headRef, this.state.headShaOf(pr), pr.headRepo, headRepoOwner),
      base: side(pr.baseRef, this.state.branch(pr.baseRef) ?? '0'.repeat(40), this.state.fullName, this.state.owner),
      _links: { comments: link(`${this.repoApi}/issues/${pr.number}/comments`), commits: link(`${u}/commits`), statuses: link(`${this.repoApi}/statuses/x`), html: link(html), issue: link(`${this.repoApi}/issues/${pr.number}`), review_comments: link(`${u}/comments`), review_comment: link(`${this.repoApi}/pulls/comments{/number}`), self: link(u) },
      author_association: pr.authorAssociation as S['author-association'],
      auto_merge: null,
      merged: pr.merged,
      mergeable: pr.state === 'open' ? true : null,
      mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
      merged_by: pr.mergedBy ? this.user(pr.mergedBy) : null,
      comments: this.state.comments.filter((c) => c.issue === pr.number).length,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
    };
  }

  /** `pull-request-simple` (lists): the full object minus the fields only `get` returns. */
  pullSimple(pr: PullRec): S['pull-request-simple'] {
    const { merged, mergeable, mergeable_state, merged_by, comments, review_comments, maintainer_can_modify, commits, additions, deletions, changed_files, ...simple } = this.pull(pr);
    void [merged, mergeable, mergeable_state, merged_by, comments, review_comments, maintainer_can_modify, commits, additions, deletions, changed_files];
    return { ...simple, labels: [], requested_teams: [] };
  }

  gitCommit(c: CommitRec): S['git-commit'] {
    const person = { ...(c.author ?? { name: 'Steward Double', email: 'double@github.test' }), date: c.date };
    return {
      sha: c.sha,
      node_id: `C_${c.sha}`,
      url: `${this.repoApi}/git/commits/${c.sha}`,
      html_url: `${this.web}/${this.state.fullName}/commit/${c.sha}`,
      author: person,
      committer: person,
      message: c.message,
      tree: { sha: c.tree, url: `${this.repoApi}/git/trees/${c.tree}` },
      parents: c.parents.map((p) => ({ sha: p, url: `${this.repoApi}/git/commits/${p}`, html_url: `${this.web}/${this.state.fullName}/commit/${p}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  }

  commit(c: CommitRec): S['commit'] {
    return {
      url: `${this.repoApi}/commits/${c.sha}`,
      sha: c.sha,
      node_id: `C_${c.sha}`,
      html_url: `${this.web}/${this.state.fullName}/commit/${c.sha}`,
      comments_url: `${this.repoApi}/commits/${c.sha}/comments`,
      commit: {
        url: `${this.repoApi}/git/commits/${c.sha}`,
        author: { name: 'Steward Double', email: 'double@github.test', date: c.date },
        committer: { name: 'Steward Double', email: 'double@github.test', date: c.date },
        message: c.message,
        comment_count: 0,
        tree: { sha: c.tree, url: `${this.repoApi}/git/trees/${c.tree}` },
      },
      author: null,
      committer: null,
      parents: c.parents.map((p) => ({ sha: p, url: `${this.repoApi}/commits/${p}` })),
    };
  }

  ref(ref: string, sha: string): S['git-ref'] {
    return { ref, node_id: `REF_${sha}`, url: `${this.repoApi}/git/${ref}`, object: { type: 'commit', sha, url: `${this.repoApi}/git/commits/${sha}` } };
  }

  deployment(d: DeploymentRec): S['deployment'] {
    return {
      url: `${this.repoApi}/deployments/${d.id}`,
      id: d.id,
      node_id: `DE_${d.id}`,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: {},
      environment: d.environment,
      description: d.description,
      creator: this.user(this.state.actor),
      created_at: d.createdAt,
      updated_at: d.createdAt,
      statuses_url: `${this.repoApi}/deployments/${d.id}/statuses`,
      repository_url: this.repoApi,
      transient_environment: d.transient,
      production_environment: d.production,
    };
  }

  deploymentStatus(d: DeploymentRec, s: DeploymentStatusRec): S['deployment-status'] {
    return {
      url: `${this.repoApi}/deployments/${d.id}/statuses/${s.id}`,
      id: s.id,
      node_id: `DES_${s.id}`,
      state: s.state as S['deployment-status']['state'],
      creator: this.user(this.state.actor),
      description: s.description,
      environment: d.environment,
      target_url: s.logUrl ?? `${this.repoApi}/deployments/${d.id}`,
      ...(s.logUrl ? { log_url: s.logUrl } : {}),
      ...(s.environmentUrl ? { environment_url: s.environmentUrl } : {}),
      created_at: s.createdAt,
      updated_at: s.createdAt,
      deployment_url: `${this.repoApi}/deployments/${d.id}`,
      repository_url: this.repoApi,
    };
  }
}

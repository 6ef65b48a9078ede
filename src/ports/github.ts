// GitHub, as the reporter, the approval gate and the deploy record need it: one interface per
// concern, joined in GitHubPort. Shapes are Steward's own; the adapter maps GitHub's onto them.

export interface GitHubUser {
  login: string;
  /** `User`, `Bot` or `Organization`, as GitHub reports it. */
  type: string;
}

// ---- checks and statuses -------------------------------------------------------------------

export type CheckConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  /** At most 50 per request (GitHub's limit); the reporter batches. */
  annotations?: CheckAnnotation[];
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
  output?: CheckOutput;
}

export type CheckRunUpdate = Partial<Omit<CheckRunInput, 'headSha'>>;

export interface CommitStatusInput {
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  /** GitHub keeps 140 characters. */
  description: string;
  targetUrl?: string;
}

export interface GitHubChecks {
  createCheckRun(input: CheckRunInput): Promise<{ id: number; htmlUrl: string | null }>;
  updateCheckRun(id: number, update: CheckRunUpdate): Promise<void>;
  createCommitStatus(sha: string, input: CommitStatusInput): Promise<void>;
}

// ---- issue comments --------------------------------------------------------------------------

export interface IssueComment {
  id: number;
  body: string;
  author: GitHubUser | null;
  htmlUrl: string;
}

export interface GitHubComments {
  /** Every comment of an issue or PR, all pages. */
  listIssueComments(issue: number): Promise<IssueComment[]>;
  createIssueComment(issue: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>;
}

// ---- pull requests and permissions -----------------------------------------------------------

export interface PullRequestInfo {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  title: string;
  /** Untrusted text. */
  body: string | null;
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository; null when a fork was deleted. */
  headRepo: string | null;
  baseRef: string;
  baseRepo: string;
  author: GitHubUser | null;
  authorAssociation: string;
  htmlUrl: string;
}

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface PullRequestCreate {
  title: string;
  head: string;
  base: string;
  body: string;
}

export interface GitHubPulls {
  getPullRequest(number: number): Promise<PullRequestInfo>;
  /** Every open pull request of the repository, all pages (proposal caps count Steward's). */
  listOpenPullRequests(): Promise<PullRequestInfo[]>;
  /** Pull requests whose head is `branch` of this repository, in any state, newest first. */
  listPullRequestsForBranch(branch: string): Promise<PullRequestInfo[]>;
  /** Pull requests that contain the commit (merged ones for a commit on the default branch). */
  listPullRequestsForCommit(sha: string): Promise<PullRequestInfo[]>;
  createPullRequest(input: PullRequestCreate): Promise<PullRequestInfo>;
  updatePullRequest(number: number, update: { title?: string; body?: string }): Promise<PullRequestInfo>;
  /** A user's permission on the repository; `none` when they are no collaborator. */
  getPermission(username: string): Promise<RepoPermission>;
}

// ---- git data (no local checkout) ------------------------------------------------------------

export interface TreeEntryInput {
  path: string;
  /** A blob created earlier. */
  blobSha: string;
}

/** A commit's author or committer as git records it (not a GitHub account). */
export interface GitPerson {
  name: string;
  email: string;
}

export type CommitRelation = 'ahead' | 'behind' | 'identical' | 'diverged';

export interface GitHubGitData {
  /** The commit a branch points at, or null when the branch does not exist. */
  getBranchSha(branch: string): Promise<string | null>;
  /** A commit's tree and parents (the first parent of a merge commit is the branch before it). */
  getCommit(sha: string): Promise<{ tree: string; parents: string[]; author: GitPerson; committer: GitPerson }>;
  createBlob(content: string): Promise<string>;
  createTree(baseTree: string, entries: TreeEntryInput[]): Promise<string>;
  /** Without `author`, GitHub records the token's account. */
  createCommit(input: { message: string; tree: string; parents: string[]; author?: GitPerson }): Promise<string>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** Moves a branch; `force` allows a non-fast-forward move (Steward's own branches only). */
  updateBranch(branch: string, sha: string, force: boolean): Promise<void>;
  /** How `head` relates to `base`: `ahead` or `identical` means base is in head's history. */
  compareCommits(base: string, head: string): Promise<CommitRelation>;
}

// ---- deployments -----------------------------------------------------------------------------

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentInfo {
  id: number;
  sha: string;
  environment: string;
  task: string;
}

export interface DeploymentCreate {
  sha: string;
  environment: string;
  task: string;
  description: string;
  productionEnvironment?: boolean;
}

export interface DeploymentStatusInput {
  state: DeploymentState;
  description: string;
  logUrl?: string;
  environmentUrl?: string;
}

export interface GitHubDeployments {
  listDeployments(filter: { sha: string; environment: string; task: string }): Promise<DeploymentInfo[]>;
  createDeployment(input: DeploymentCreate): Promise<DeploymentInfo>;
  createDeploymentStatus(deploymentId: number, input: DeploymentStatusInput): Promise<void>;
}

export interface GitHubPort extends GitHubChecks, GitHubComments, GitHubPulls, GitHubGitData, GitHubDeployments {
  /** `owner/name` of the repository every call addresses. */
  readonly repository: string;
}

/** The Actions job summary of the current step (markdown, 1 MiB per step). */
export interface JobSummaryPort {
  /** Replaces what Steward wrote to this step's summary before. */
  write(markdown: string): Promise<void>;
}

// The double's repository: git objects and refs, check runs, statuses, comments, pull requests,
// deployments and collaborator permissions, with seeding helpers for tests.
import { createHash } from 'node:crypto';

export type UserType = 'User' | 'Bot';
export interface UserRec {
  id: number;
  login: string;
  type: UserType;
}

export interface CommitRec {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
  date: string;
  /** As the commit request gave it; the double's own name when absent. */
  author?: { name: string; email: string };
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

export interface AnnotationRec {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
  title?: string;
}

export interface CheckRunRec {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRec[];
  /** Annotations per request, in order: the batching tests read this. */
  annotationBatches: number[];
}

export interface StatusRec {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
}

export interface CommentRec {
  id: number;
  issue: number;
  body: string;
  user: UserRec;
  createdAt: string;
  updatedAt: string;
}

export interface PullRec {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  headRef: string;
  /** For a fork: its full name; the head SHA is then fixed in `forkSha`. */
  headRepo: string;
  forkSha?: string;
  baseRef: string;
  user: UserRec;
  authorAssociation: string;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: UserRec | null;
  mergeCommitSha: string | null;
  /** The head SHA when the PR was merged or closed (the branch may move on or vanish). */
  closedHeadSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface IssueRec {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  labels: string[];
  user: UserRec;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface DeploymentStatusRec {
  id: number;
  state: string;
  description: string;
  logUrl: string | null;
  environmentUrl: string | null;
  createdAt: string;
}

export interface DeploymentRec {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient: boolean;
  production: boolean;
  createdAt: string;
  statuses: DeploymentStatusRec[];
}

export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function digest(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex');
}

export class RepoState {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch = 'main';
  readonly actor: UserRec = { id: 41898282, login: 'github-actions[bot]', type: 'Bot' };
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, Map<string, TreeEntry>>();
  readonly commits = new Map<string, CommitRec>();
  /** `refs/heads/main` → SHA. */
  readonly refs = new Map<string, string>();
  readonly checkRuns: CheckRunRec[] = [];
  readonly statuses: StatusRec[] = [];
  readonly comments: CommentRec[] = [];
  readonly pulls: PullRec[] = [];
  /** Issues (not pull requests); they share the pull requests' numbers, as on GitHub. */
  readonly issues: IssueRec[] = [];
  readonly deployments: DeploymentRec[] = [];
  readonly permissions = new Map<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>();
  private nextId = 1000;
  private nextNumber = 1;
  private clock = Date.parse('2025-01-01T00:00:00Z');

  constructor(fullName: string) {
    const [owner, name] = fullName.split('/');
    this.owner = owner!;
    this.name = name!;
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  id(): number {
    return this.nextId++;
  }

  /** A monotonic clock, one second per call: ordering is stable without real time. */
  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  user(login: string, type: UserType = 'User'): UserRec {
    return { id: 5000 + [...login].reduce((n, c) => n + c.charCodeAt(0), 0), login, type };
  }

  putBlob(content: Buffer): string {
    const sha = gitBlobSha(content);
    this.blobs.set(sha, content);
    return sha;
  }

  putTree(entries: Map<string, TreeEntry>): string {
    const sha = digest('tree', ...[...entries.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, e]) => `${e.mode} ${e.type} ${e.sha} ${p}`));
    this.trees.set(sha, entries);
    return sha;
  }

  putCommit(tree: string, parents: string[], message: string, author?: { name: string; email: string }): string {
    const date = this.now();
    const sha = digest('commit', tree, ...parents, message, date, author ? `${author.name} <${author.email}>` : '');
    this.commits.set(sha, { sha, tree, parents, message, date, ...(author ? { author } : {}) });
    return sha;
  }

  /** Seeds a commit with whole files (path → text) on top of `parent`'s tree. */
  commitFiles(files: Record<string, string>, parent: string | null, message = 'seed', author?: { name: string; email: string }): string {
    const base = parent ? new Map(this.trees.get(this.commits.get(parent)!.tree)!) : new Map<string, TreeEntry>();
    for (const [path, text] of Object.entries(files)) base.set(path, { mode: '100644', type: 'blob', sha: this.putBlob(Buffer.from(text)) });
    return this.putCommit(this.putTree(base), parent ? [parent] : [], message, author);
  }

  branch(name: string): string | undefined {
    return this.refs.get(`refs/heads/${name}`);
  }

  setBranch(name: string, sha: string): void {
    this.refs.set(`refs/heads/${name}`, sha);
  }

  /** Every ancestor of `sha`, itself included, nearest first. */
  ancestors(sha: string): string[] {
    const seen: string[] = [];
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (seen.includes(next)) continue;
      seen.push(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  headShaOf(pr: PullRec): string {
    if (pr.closedHeadSha) return pr.closedHeadSha;
    if (pr.forkSha) return pr.forkSha;
    return this.branch(pr.headRef) ?? '0'.repeat(40);
  }

  /** Merge commit: base's tree with the files the head changed since their merge base. */
  merge(pr: PullRec, by: UserRec): string {
    const baseSha = this.branch(pr.baseRef)!;
    const headSha = this.headShaOf(pr);
    const mergeBase = this.ancestors(headSha).find((c) => this.ancestors(baseSha).includes(c));
    const tree = new Map(this.trees.get(this.commits.get(baseSha)!.tree)!);
    const mergeBaseTree = mergeBase ? this.trees.get(this.commits.get(mergeBase)!.tree)! : new Map<string, TreeEntry>();
    for (const [path, entry] of this.trees.get(this.commits.get(headSha)!.tree)!) {
      if (mergeBaseTree.get(path)?.sha !== entry.sha) tree.set(path, entry);
    }
    const sha = this.putCommit(this.putTree(tree), [baseSha, headSha], `Merge pull request #${pr.number} from ${this.owner}/${pr.headRef}`);
    this.setBranch(pr.baseRef, sha);
    const at = this.now();
    Object.assign(pr, { state: 'closed', merged: true, mergedAt: at, closedAt: at, updatedAt: at, mergedBy: by, mergeCommitSha: sha, closedHeadSha: headSha });
    return sha;
  }

  close(pr: PullRec): void {
    const at = this.now();
    Object.assign(pr, { state: 'closed', closedAt: at, updatedAt: at, closedHeadSha: this.headShaOf(pr) });
  }

  /** Opens a PR directly (as a human would), e.g. `{ head: 'feature', user: 'alice' }`. */
  openPullRequest(input: { head: string; base?: string; title?: string; body?: string; user?: UserRec; association?: string; fork?: { repo: string; sha: string } }): PullRec {
    const at = this.now();
    const pr: PullRec = {
      number: this.nextNumber++,
      title: input.title ?? input.head,
      body: input.body ?? null,
      state: 'open',
      headRef: input.head,
      headRepo: input.fork?.repo ?? this.fullName,
      ...(input.fork ? { forkSha: input.fork.sha } : {}),
      baseRef: input.base ?? this.defaultBranch,
      user: input.user ?? this.user('alice'),
      authorAssociation: input.association ?? 'OWNER',
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      closedHeadSha: null,
      closedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    this.pulls.push(pr);
    return pr;
  }

  openIssue(input: { title: string; body?: string | null; labels?: string[]; user: UserRec }): IssueRec {
    const at = this.now();
    const issue: IssueRec = { number: this.nextNumber++, title: input.title, body: input.body ?? null, state: 'open', stateReason: null, labels: input.labels ?? [], user: input.user, createdAt: at, updatedAt: at, closedAt: null };
    this.issues.push(issue);
    return issue;
  }

  /** Whether `number` is an issue or a pull request (both take comments). */
  hasIssueOrPull(number: number): boolean {
    return this.pulls.some((p) => p.number === number) || this.issues.some((i) => i.number === number);
  }

  addComment(issue: number, body: string, user: UserRec): CommentRec {
    const at = this.now();
    const comment = { id: this.id(), issue, body, user, createdAt: at, updatedAt: at };
    this.comments.push(comment);
    return comment;
  }
}

// Git, as the stages need it: revisions, the changed files and the textual diff.

export interface ChangedPath {
  path: string;
  oldPath?: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface GitPort {
  /** Absolute path of the repository's top level. */
  readonly root: string;
  /** Full SHA of a revision; throws GitError when it does not exist (e.g. a shallow clone). */
  resolve(rev: string): Promise<string>;
  /** The best common ancestor of two commits, or null when they share none. */
  mergeBase(a: string, b: string): Promise<string | null>;
  /** The first parent of a commit, or null for a root commit. */
  firstParent(sha: string): Promise<string | null>;
  changedPaths(base: string, head: string): Promise<ChangedPath[]>;
  /** Unified diff (3 lines of context, every file as text) limited to `paths`. Callers never pass secret files. */
  patch(base: string, head: string, paths: string[]): Promise<string>;
  /**
   * Raw contents of many `rev:path` at once, in request order (one git process, no diff
   * attributes or textconv applied): bytes, null when absent there, undefined when git cannot
   * name the path in a batch (treat as unreadable, never as absent).
   */
  readBlobs(requests: { rev: string; path: string }[]): Promise<(Uint8Array | null | undefined)[]>;
  /** A file's content at a revision, or null when absent there. */
  show(rev: string, path: string): Promise<string | null>;
  /** Every tracked file path at a revision (job discovery at a revision without checkout). */
  listFiles(rev: string): Promise<string[]>;
  /**
   * Whether a shallow clone lacks history a comparison needs: `base` or a commit of base..head
   * whose parents were cut off (base null: head's first parent). Always false in a full clone.
   */
  lacksHistory(base: string | null, head: string): Promise<boolean>;
  /** Subject and body of a commit: untrusted text. */
  message(sha: string): Promise<string>;
}

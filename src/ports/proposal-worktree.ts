// Throwaway worktrees for proposals: a change is made outside the person's checkout, on top of a
// base commit, and kept as a commit in the repository's object store (never on a local branch).

export interface WorktreeCommit {
  sha: string;
  /** Repository-relative paths the commit changes, with their new content (deleted: null). */
  files: { path: string; content: string | null }[];
}

export interface ProposalWorktreePort {
  /**
   * Checks `base` out in a new directory outside the checkout, runs `change` there, commits what
   * it changed (as `author`) and removes the directory; null when nothing changed.
   */
  /** Checks `base` out in a new directory outside the checkout, runs `look` there, removes the directory. */
  inspect<T>(base: string, look: (dir: string) => Promise<T>): Promise<T>;
  /** Like `inspect`, returning what `change` left changed (added or modified files; deletions are refused). */
  captureIn(base: string, change: (dir: string) => Promise<void>): Promise<{ edits: { path: string; content: string }[]; deleted: string[] }>;
  commitIn(base: string, topic: string, change: (dir: string) => Promise<void>, commit: { message: string; author: { name: string; email: string } }): Promise<WorktreeCommit | null>;
}

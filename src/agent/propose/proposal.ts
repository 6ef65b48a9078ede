// A proposal: one topic's change to the homelab repository, as whole new file contents, with
// what a reviewer needs to judge it. Proposers plan these; the runner builds, classifies and opens them.

export type ProposalKind = 'image-update' | 'flake-input' | 'memory' | 'goal' | 'knowledge';

export interface FileEdit {
  /** Repository-relative path. */
  path: string;
  content: string;
}

export interface VersionChange {
  /** The image repository or flake input. */
  name: string;
  from: string;
  to: string;
  /** The files it changes in. */
  paths: string[];
}

export interface Proposal {
  kind: ProposalKind;
  /** Stable name of what the proposal is about: the branch is `steward/proposal/<topic>`. */
  topic: string;
  title: string;
  /** Why, in a few lines of markdown Steward wrote (never untrusted text). */
  rationale: string;
  edits: FileEdit[];
  versionChanges: VersionChange[];
}

export const PROPOSAL_BRANCH_PREFIX = 'steward/proposal/';

export function proposalBranch(topic: string): string {
  return `${PROPOSAL_BRANCH_PREFIX}${topic}`;
}

/** A topic as a branch-name part: lower case, `[a-z0-9._-]`, no leading dot or dash. */
export function topicSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .replace(/\.{2,}/g, '.')
    .slice(0, 80);
}

// What Steward remembers about its proposals: the commit it last pushed per topic, when it
// opened each, and the topics a person closed without merging (never proposed again).

export interface ProposalRecord {
  topic: string;
  branch: string;
  prNumber: number;
  /** The head commit Steward last pushed to the branch. */
  headSha: string;
  /** Digest of the edits, to tell an unchanged proposal from a new one. */
  editsDigest: string;
  openedAt: string;
  updatedAt: string;
}

export interface IgnoredProposal {
  topic: string;
  title: string;
  prNumber: number;
  at: string;
}

export interface ProposalStore {
  get(topic: string): ProposalRecord | null;
  save(record: ProposalRecord): void;
  /** Proposals opened (not updated) at or after `since` (ISO time). */
  openedSince(since: string): number;
  /** A person closed this proposal (topic and title: a later version of the same topic is a new proposal). */
  markIgnored(topic: string, title: string, prNumber: number, at: string): void;
  isIgnored(topic: string, title: string): boolean;
  ignored(): IgnoredProposal[];
  /** The dashboard issue's number, once created. */
  dashboardIssue(): number | null;
  setDashboardIssue(issue: number): void;
}

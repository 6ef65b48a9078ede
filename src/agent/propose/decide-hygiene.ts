// Renovate's hygiene rules for one proposal (pure): what to do given the PRs of its branch, what
// Steward remembers, who wrote the branch head, and the caps.
import type { CommitRelation, GitPerson, PullRequestInfo } from '../../ports/github.js';
import type { ProposalRecord } from '../../ports/proposal-store.js';

export type HygieneDecision =
  | { action: 'open' }
  | { action: 'update'; pr: PullRequestInfo; why: string }
  | { action: 'skip'; result: 'ignored' | 'human-edited' | 'unchanged' | 'capped'; why: string; pr?: PullRequestInfo };

export interface HygieneInput {
  title: string;
  editsDigest: string;
  /** Every PR of the proposal's branch, any state. */
  branchPrs: PullRequestInfo[];
  record: ProposalRecord | null;
  ignoredBefore: boolean;
  /** Author of the open PR's head commit, and how the head relates to the base branch. */
  openHead?: { author: GitPerson; relationToBase: CommitRelation };
  identity: GitPerson;
  openCount: number;
  newToday: number;
  maxOpen: number;
  maxNewPerDay: number;
}

export function decideHygiene(input: HygieneInput): HygieneDecision {
  const closed = input.branchPrs.find((pr) => pr.state === 'closed' && !pr.merged && pr.title === input.title);
  if (input.ignoredBefore || closed) {
    return { action: 'skip', result: 'ignored', why: `closed without merge${closed ? ` (#${closed.number})` : ''}: never proposed again`, ...(closed ? { pr: closed } : {}) };
  }
  const open = input.branchPrs.find((pr) => pr.state === 'open');
  if (open) {
    // A person who pushed to the branch owns it now; the recorded head catches a push that kept Steward's name.
    const byOther = input.openHead && input.openHead.author.email.toLowerCase() !== input.identity.email.toLowerCase();
    const moved = input.record !== null && input.record.headSha !== open.headSha;
    if (byOther || moved) return { action: 'skip', result: 'human-edited', why: 'someone else pushed to the branch: left as it is', pr: open };
    const behind = input.openHead?.relationToBase === 'behind' || input.openHead?.relationToBase === 'diverged';
    if (behind) return { action: 'update', pr: open, why: 'the base branch moved on: regenerated on top of it' };
    if (input.record?.editsDigest !== input.editsDigest) return { action: 'update', pr: open, why: 'the proposed change differs: regenerated' };
    return { action: 'skip', result: 'unchanged', why: 'already open and current', pr: open };
  }
  if (input.openCount >= input.maxOpen) return { action: 'skip', result: 'capped', why: `${input.openCount} proposals open (propose.maxOpen ${input.maxOpen})` };
  if (input.newToday >= input.maxNewPerDay) return { action: 'skip', result: 'capped', why: `${input.newToday} proposals opened today (propose.maxNewPerDay ${input.maxNewPerDay})` };
  return { action: 'open' };
}

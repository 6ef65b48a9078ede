// The approval gate of held commits (GitHub: a merged approval pull request approves exactly one SHA).
import type { Reason } from '../model/evidence.js';
import type { Label } from '../model/label.js';
import type { ReviewReport } from '../model/review.js';

export interface ApprovalGate {
  /** Whether a human approved exactly this commit and it is still in the main branch's history. */
  isApproved(sha: string): Promise<{ approved: boolean; note?: string }>;
  /** Opens (or updates) the request for a held commit. */
  request(sha: string, input: { label: Label; reasons: Reason[]; reviews: ReviewReport[] }): Promise<{ url?: string; note: string }>;
  /** Approved commits, oldest first, except those `handled` says were dealt with already. */
  approvedCommits(handled: (sha: string) => boolean): Promise<string[]>;
}

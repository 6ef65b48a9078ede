// Where approval outcomes are remembered between runs (held commits, approvals by PR merge,
// rejections by PR close). The deploy state store backs it with SQLite; tests use the memory one.
import { z } from 'zod';

export const ApprovalState = z.enum(['requested', 'approved', 'rejected', 'stale']);
export type ApprovalState = z.infer<typeof ApprovalState>;

export const ApprovalRecord = z
  .object({
    /** The full SHA of the held commit: an approval is for exactly this commit. */
    sha: z.string().regex(/^[0-9a-f]{40}$/),
    state: ApprovalState,
    /** The approval pull request, when one exists. */
    pr: z.number().int().positive().nullable(),
    /** ISO time of the last change. */
    at: z.string(),
    /** Who merged or closed the PR, when known; why an approval was refused. */
    note: z.string().optional(),
  })
  .strict();
export type ApprovalRecord = z.infer<typeof ApprovalRecord>;

export interface ApprovalStore {
  get(sha: string): Promise<ApprovalRecord | null>;
  /** Inserts or replaces the record of `record.sha`. */
  put(record: ApprovalRecord): Promise<void>;
}

export class MemoryApprovalStore implements ApprovalStore {
  readonly records = new Map<string, ApprovalRecord>();
  async get(sha: string): Promise<ApprovalRecord | null> {
    const record = this.records.get(sha);
    return record ? structuredClone(record) : null;
  }
  async put(record: ApprovalRecord): Promise<void> {
    this.records.set(record.sha, ApprovalRecord.parse(record));
  }
}

// The optional dashboard issue of `steward propose`: one issue, edited in place each run.

export interface ProposalDashboardPort {
  /** Creates the issue; returns its number. */
  create(title: string, body: string): Promise<number>;
  /** Rewrites it (and opens it again if a person closed it). */
  update(issue: number, title: string, body: string): Promise<void>;
}

// Documented exit codes (README "Exit codes"). Only composition roots use them.
export const ExitCode = {
  /** The command did its job (a review was made, whatever its label). */
  ok: 0,
  /** An unexpected internal error. */
  internal: 1,
  /** Bad usage or configuration; every problem is listed. */
  usage: 2,
  /** Nix evaluation or build failed: nothing would be deployed. */
  buildFailed: 3,
  /** Static validation (e.g. Nomad job files) failed: nothing would be deployed. */
  validationFailed: 4,
  /** A risky change is held until a human approves it. */
  approvalRequired: 5,
  /** Pre-flight, deployment or verification failed (rolled back where applicable). */
  deployFailed: 6,
  /** Another deploy holds the lock, or took it over while this one was paused. */
  locked: 7,
  /** Something Steward needs is missing (`steward doctor` explains). */
  missingDependency: 8,
  /** Deploy refused: head is older than what a target runs (use `--rollback-to` to go back on purpose). */
  backwards: 9,
  /** An agent session (check, on-failure, ask) escalated: a person is needed. */
  escalated: 10,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

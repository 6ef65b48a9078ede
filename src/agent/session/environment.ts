// Everything a session reads and acts through: ports only, built by the composition root (the CLI,
// `steward serve`, `steward mcp`) and by tests from fakes and the simulator.
import type { StewardConfig } from '../../config/schema.js';
import type { ConsulPort } from '../../ports/consul.js';
import type { HistoryEntry } from '../../ports/deploy-store.js';
import type { GitPort } from '../../ports/git.js';
import type { HostDiagnostics } from '../../ports/host-diagnostics.js';
import type { Logger } from '../../ports/logger.js';
import type { NomadPort } from '../../ports/nomad.js';
import type { SessionStore } from '../../ports/session-store.js';
import type { Redactor } from '../../redact.js';
import type { DeployReport } from '../../stages/record/deploy-record.js';

/** What a session needs of Nomad beyond the deploy's NomadPort (both on the HTTP client). */
export interface NomadSessionExtras {
  /** Stops an allocation; Nomad places a replacement (`POST /v1/allocation/:id/stop`). */
  stopAllocation(allocId: string): Promise<unknown>;
  /** The allocation's task events, oldest first (`GET /v1/allocation/:id`). */
  allocationEvents(allocId: string): Promise<Array<{ task: string; type: string; message: string; time: number | null }>>;
  /** The last bytes of each task's stdout or stderr (`GET /v1/client/fs/logs/:alloc_id`). */
  allocationLogs(allocId: string, options: { type: 'stdout' | 'stderr'; maxBytes: number; task?: string }): Promise<Array<{ task: string; text: string }>>;
}

/** What one run of Steward's own deploy (`steward deploy --json`) answered. */
export interface DeployCommandResult {
  exitCode: number | null;
  /** The deploy's report (schema steward.deploy/v1); null when it printed none (locked, usage). */
  report: DeployReport | null;
  /** Its last lines of progress, redacted: why it stopped when there is no report. */
  output: string;
}

/**
 * Steward's deploy as the agent's actions run it: the whole pipeline (lock, review, gate,
 * pre-flight, activation with its guard, verification, rollback, records), never a piece of it.
 */
export interface DeployCommand {
  run(request: { head?: string; rollbackTo?: string; dryRun?: boolean }, signal?: AbortSignal): Promise<DeployCommandResult>;
}

export interface SessionEnvironment {
  config: StewardConfig;
  /** Hosts the session looks at (configured hosts, or the fixture hosts of a demo). */
  hostNames: string[];
  diagnosticsFor(host: string): HostDiagnostics | null;
  nomad?: NomadPort & Partial<NomadSessionExtras>;
  consul?: ConsulPort;
  /** The deploy store's history, newest first. */
  deployHistory?: (limit: number) => HistoryEntry[];
  git?: GitPort;
  /** The deploy the rollback-host and redeploy-head actions run through; absent: they cannot run. */
  deploy?: DeployCommand;
  /** Steward's own goals directory (goals/*.md, goals/knowledge/*.md). */
  goalsDir: string;
  store: SessionStore;
  redactor: Redactor;
  logger: Logger;
  now?: () => Date;
}

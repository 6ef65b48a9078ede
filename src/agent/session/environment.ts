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

/** Restarting allocations is not part of the deploy's NomadPort; the session's executor needs it. */
export interface NomadRestarts {
  /** Stops an allocation; Nomad places a replacement (`POST /v1/allocation/:id/stop`). */
  stopAllocation(allocId: string): Promise<unknown>;
}

export interface SessionEnvironment {
  config: StewardConfig;
  /** Hosts the session looks at (configured hosts, or the fixture hosts of a demo). */
  hostNames: string[];
  diagnosticsFor(host: string): HostDiagnostics | null;
  nomad?: NomadPort & Partial<NomadRestarts>;
  consul?: ConsulPort;
  /** The deploy store's history, newest first. */
  deployHistory?: (limit: number) => HistoryEntry[];
  git?: GitPort;
  /** Steward's own goals directory (goals/*.md, goals/knowledge/*.md). */
  goalsDir: string;
  store: SessionStore;
  redactor: Redactor;
  logger: Logger;
  now?: () => Date;
}

// An in-process SessionEnvironment for unit and integration tests: fixture hosts under a
// directory (through the real local transport and diagnostics), an in-memory session store,
// optional Nomad and Consul clients, and Steward's own goals.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHostDiagnostics } from '../../src/adapters/host-diagnostics/host-diagnostics.js';
import { createLocalTransport } from '../../src/adapters/host-local/local-transport.js';
import { SqliteSessionStore } from '../../src/adapters/store-sqlite/session-store.js';
import type { SessionEnvironment } from '../../src/agent/session/environment.js';
import { StewardConfig } from '../../src/config/schema.js';
import { silentLogger } from '../../src/ports/logger.js';
import { Redactor } from '../../src/redact.js';

export const GOALS = fileURLToPath(new URL('../../goals/', import.meta.url));

export function sessionEnv(options: { hostsRoot: string; hosts: string[]; config?: unknown; overrides?: Partial<SessionEnvironment> }): SessionEnvironment {
  const redactor = new Redactor();
  return {
    config: StewardConfig.parse(options.config ?? {}),
    hostNames: options.hosts,
    diagnosticsFor: (host) => (options.hosts.includes(host) ? createHostDiagnostics(createLocalTransport({ host, root: path.join(options.hostsRoot, host) }), redactor) : null),
    goalsDir: GOALS,
    store: new SqliteSessionStore({ file: ':memory:' }),
    redactor,
    logger: silentLogger,
    ...options.overrides,
  };
}

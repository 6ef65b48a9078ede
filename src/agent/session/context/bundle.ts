// The context bundle of an agent session: typed parts, each gathered under its own time limit,
// each either a value or a note saying why it is missing (a part never fails the session).
import type { SessionTrigger } from '../../../model/agent-session.js';

export type Part<T> = { status: 'ok'; value: T; durationMs: number } | { status: 'missing'; note: string; durationMs: number };

export interface HostFacts {
  host: string;
  failedUnits: string[];
  /** Error journal lines per unit (the focus unit, then the failed ones); `*` for the whole host. */
  journal: Record<string, string[]>;
  /** Why this host could not be read, when it could not. */
  note?: string;
}

export interface AllocFacts {
  id: string;
  name: string;
  taskGroup: string;
  nodeName: string;
  clientStatus: string;
  desiredStatus: string;
  healthy?: boolean;
  /** The most recent task events (`task: type: message`), newest last. */
  events?: string[];
}

export interface JobFacts {
  id: string;
  type: string;
  status: string;
  /** Allocations that are not running or not healthy (the evidence). */
  troubled: AllocFacts[];
  deployment?: { status: string; description: string };
}

export interface NomadFacts {
  jobCount: number;
  healthyJobs: string[];
  troubledJobs: JobFacts[];
  leader: string | null;
}

export interface ConsulFacts {
  leader: string | null;
  unhealthyMembers: Array<{ name: string; status: string; role: string }>;
  memberCount: number;
  checks: Array<{ node: string; name: string; status: string; service: string; output: string }>;
}

export interface DeployFacts {
  entries: Array<{ target: string; kind: string; sha: string; result: string; action: string; at: string; message: string }>;
}

export interface CommitFacts {
  ref: string;
  commits: Array<{ sha: string; subject: string }>;
}

export interface KnowledgeFacts {
  docs: Array<{ source: string; title: string; excerpt: string; score: number }>;
}

export interface SessionContext {
  trigger: SessionTrigger;
  gatheredAt: string;
  hosts: Part<HostFacts[]>;
  nomad: Part<NomadFacts>;
  consul: Part<ConsulFacts>;
  deploys: Part<DeployFacts>;
  commits: Part<CommitFacts>;
  knowledge: Part<KnowledgeFacts>;
}

/** Runs one part under its own deadline; a throw or a timeout becomes a note, never an error. */
export async function gatherPart<T>(name: string, timeoutMs: number, fn: (signal: AbortSignal) => Promise<T>): Promise<Part<T>> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${Math.round(timeoutMs / 100) / 10} s`));
    }, timeoutMs);
  });
  try {
    const value = await Promise.race([fn(controller.signal), deadline]);
    return { status: 'ok', value, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    const note = `${name}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
    return { status: 'missing', note, durationMs: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

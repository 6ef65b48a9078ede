// What a session may do by itself (pure). Policy first: only leaf and clean actions are automatic;
// critical units, quorum members and anything risky are escalated to a person (host rollbacks and
// redeploys run through the deploy, whose gate holds what is risky). Then autonomy, per
// action class (`observe` by default), then the rate limit. Policy limits hold even at `act`.
import picomatch from 'picomatch';
import { ACTION_CLASSES, type StewardConfig } from '../../config/schema.js';
import { UNIT_NAME } from '../../ports/host-diagnostics.js';

export type ActionClass = (typeof ACTION_CLASSES)[number];
export type Autonomy = 'observe' | 'propose' | 'act';

export interface ActionRequest {
  actionClass: ActionClass;
  /** `host:unit` for restart-unit, `job/alloc` for restart-alloc, a job id, a host name, or `main`. */
  target: string;
  why: string;
}

export type PolicyVerdict =
  | { verdict: 'allowed' }
  /** A person must decide: the session escalates with its evidence. */
  | { verdict: 'escalate'; reason: string }
  /** Not a valid request at all (unknown host, malformed target). */
  | { verdict: 'invalid'; reason: string };

const QUORUM_ROLES = new Set(['consul-server', 'nomad-server', 'vault-server']);

export function parseUnitTarget(target: string): { host: string; unit: string } | null {
  const at = target.indexOf(':');
  if (at <= 0) return null;
  const host = target.slice(0, at);
  const unit = target.slice(at + 1);
  return /^[A-Za-z0-9_.-]+$/.test(host) && UNIT_NAME.test(unit) ? { host, unit } : null;
}

export function parseAllocTarget(target: string): { job: string; alloc: string } | null {
  const match = /^([A-Za-z0-9_.-]+)\/([0-9a-f-]{8,36})$/.exec(target);
  return match ? { job: match[1]!, alloc: match[2]! } : null;
}

export function decidePolicy(config: StewardConfig, request: ActionRequest, knownHosts: string[]): PolicyVerdict {
  switch (request.actionClass) {
    case 'restart-unit': {
      const parsed = parseUnitTarget(request.target);
      if (!parsed) return { verdict: 'invalid', reason: 'the target must be <host>:<unit name>' };
      if (!knownHosts.includes(parsed.host)) return { verdict: 'invalid', reason: `unknown host ${parsed.host}` };
      const critical = [...config.classify.criticalUnits, ...config.classify.extraCriticalUnits];
      if (picomatch.isMatch(parsed.unit, critical)) return { verdict: 'escalate', reason: `${parsed.unit} is a critical unit: restarting it can cut access or quorum` };
      const roles = config.hosts[parsed.host]?.roles ?? [];
      const quorum = roles.filter((r) => QUORUM_ROLES.has(r));
      if (quorum.some((r) => parsed.unit.startsWith(r.replace('-server', '')))) return { verdict: 'escalate', reason: `${parsed.host} is a quorum member (${quorum.join(', ')}) and ${parsed.unit} is its server` };
      return { verdict: 'allowed' };
    }
    case 'restart-alloc':
    case 'restart-job': {
      const job = request.actionClass === 'restart-alloc' ? parseAllocTarget(request.target)?.job : /^[A-Za-z0-9_.-]+$/.test(request.target) ? request.target : undefined;
      if (!job) return { verdict: 'invalid', reason: request.actionClass === 'restart-alloc' ? 'the target must be <job>/<allocation id>' : 'the target must be a job id' };
      if (picomatch.isMatch(job, config.agent.criticalJobs)) return { verdict: 'escalate', reason: `${job} is listed in agent.criticalJobs` };
      return { verdict: 'allowed' };
    }
    case 'rollback-host': {
      if (!knownHosts.includes(request.target)) return { verdict: 'invalid', reason: `unknown host ${request.target}` };
      // A quorum member's rollback can cost quorum: a person chooses the moment.
      const quorum = (config.hosts[request.target]?.roles ?? []).filter((r) => QUORUM_ROLES.has(r));
      if (quorum.length) return { verdict: 'escalate', reason: `${request.target} is a quorum member (${quorum.join(', ')}): a person rolls it back (steward deploy --rollback-to)` };
      // The executor goes through steward deploy --rollback-to, to the host's previous verified
      // commit only, and only when a dry run shows that nothing but this host changes.
      return { verdict: 'allowed' };
    }
    case 'redeploy-head':
      if (request.target !== 'main' && request.target !== config.agent.mainBranch) return { verdict: 'invalid', reason: "the target must be main (the deploy of main's head)" };
      // The deploy's own gate decides: a risky change stays held for a person's approval.
      return { verdict: 'allowed' };
  }
}

export function autonomyOf(config: StewardConfig, actionClass: ActionClass): Autonomy {
  return config.agent.autonomy[actionClass] ?? 'observe';
}

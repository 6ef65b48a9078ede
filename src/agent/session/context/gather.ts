// Gathers a session's context bundle: every part at once, each under its own deadline, bounded in
// size (a few journal lines per unit, the troubled jobs only, the last deploys and commits).
import { mapLimit } from '../../../concurrency.js';
import type { SessionTrigger } from '../../../model/agent-session.js';
import type { SessionEnvironment } from '../environment.js';
import { gatherPart, type AllocFacts, type CommitFacts, type ConsulFacts, type DeployFacts, type HostFacts, type JobFacts, type KnowledgeFacts, type NomadFacts, type SessionContext } from './bundle.js';
import { keywordsOf, mainCommit, matchDocs, repoDocs, stewardDocs } from './knowledge.js';

export type PartName = 'hosts' | 'nomad' | 'consul' | 'deploys' | 'commits' | 'knowledge';

export interface GatherLimits {
  partTimeoutMs: number;
  /** A part's own deadline, when it differs from `partTimeoutMs`. */
  partTimeouts?: Partial<Record<PartName, number>>;
  journalLinesPerUnit: number;
  focusJournalLines: number;
  unitsWithJournal: number;
  maxTroubledJobs: number;
  deploys: number;
  commits: number;
  knowledgeDocs: number;
  allocEvents: number;
}

export const DEFAULT_LIMITS: GatherLimits = {
  partTimeoutMs: 15_000,
  journalLinesPerUnit: 6,
  focusJournalLines: 20,
  unitsWithJournal: 3,
  maxTroubledJobs: 10,
  deploys: 8,
  commits: 8,
  knowledgeDocs: 3,
  allocEvents: 4,
};

export async function gatherContext(env: SessionEnvironment, trigger: SessionTrigger, limits: GatherLimits = DEFAULT_LIMITS): Promise<SessionContext> {
  const t = (part: PartName) => limits.partTimeouts?.[part] ?? limits.partTimeoutMs;
  const [hosts, nomad, consul, deploys, commits] = await Promise.all([
    gatherPart('hosts', t('hosts'), () => gatherHosts(env, trigger, limits)),
    env.nomad ? gatherPart('nomad', t('nomad'), () => gatherNomad(env, limits)) : missing('nomad: no Nomad address configured'),
    env.consul ? gatherPart('consul', t('consul'), () => gatherConsul(env)) : missing('consul: no Consul address configured'),
    env.deployHistory ? gatherPart('deploys', t('deploys'), async () => gatherDeploys(env, limits)) : missing('deploys: no state store'),
    env.git ? gatherPart('commits', t('commits'), () => gatherCommits(env, limits)) : missing('commits: no repository'),
  ]);
  const keywords = keywordsOf(subjectTexts(trigger, hosts.status === 'ok' ? hosts.value : [], nomad.status === 'ok' ? nomad.value : null));
  const knowledge = await gatherPart('knowledge', t('knowledge'), () => gatherKnowledge(env, keywords, limits));
  return { trigger, gatheredAt: (env.now?.() ?? new Date()).toISOString(), hosts, nomad, consul, deploys, commits, knowledge };
}

const missing = async (note: string) => ({ status: 'missing' as const, note, durationMs: 0 });

function focusOf(trigger: SessionTrigger): { unit?: string; host?: string } {
  return trigger.kind === 'on-failure' ? { unit: trigger.unit, ...(trigger.host ? { host: trigger.host } : {}) } : {};
}

async function gatherHosts(env: SessionEnvironment, trigger: SessionTrigger, limits: GatherLimits): Promise<HostFacts[]> {
  const focus = focusOf(trigger);
  const names = focus.host ? [focus.host] : env.hostNames;
  return mapLimit(names, 4, async (host): Promise<HostFacts> => {
    const diagnostics = env.diagnosticsFor(host);
    if (!diagnostics) return { host, failedUnits: [], journal: {}, note: 'no transport to this host' };
    try {
      const failedUnits = await diagnostics.failedUnits(limits.partTimeoutMs);
      const journal: Record<string, string[]> = {};
      const units = [...new Set([...(focus.unit ? [focus.unit] : []), ...failedUnits])].slice(0, limits.unitsWithJournal);
      for (const unit of units) {
        const lines = unit === focus.unit ? limits.focusJournalLines : limits.journalLinesPerUnit;
        journal[unit] = await diagnostics.journal({ unit, lines, timeoutMs: limits.partTimeoutMs });
      }
      return { host, failedUnits, journal };
    } catch (error) {
      return { host, failedUnits: [], journal: {}, note: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** A finished batch allocation is `complete`, not troubled. */
const BATCH = new Set(['batch', 'sysbatch']);

async function gatherNomad(env: SessionEnvironment, limits: GatherLimits): Promise<NomadFacts> {
  const nomad = env.nomad!;
  const [jobs, leader] = await Promise.all([nomad.listJobs(), nomad.leader().catch(() => null)]);
  const live = jobs.filter((j) => !j.stop);
  const facts = await mapLimit(live, 4, async (job): Promise<JobFacts> => {
    const allocs = (await nomad.jobAllocations(job.id)).value;
    const latest = allocs.filter((a) => a.desiredStatus === 'run');
    const troubled: AllocFacts[] = latest
      .filter((a) => (BATCH.has(job.type) ? a.clientStatus === 'failed' || a.clientStatus === 'lost' : a.clientStatus !== 'running' || a.healthy === false))
      .map((a) => ({ id: a.id, name: a.name, taskGroup: a.taskGroup, nodeName: a.nodeName, clientStatus: a.clientStatus, desiredStatus: a.desiredStatus, ...(a.healthy !== undefined ? { healthy: a.healthy } : {}) }));
    // Recent events of the first few troubled allocations: why a task died or restarts.
    for (const alloc of troubled.slice(0, 3)) {
      const events = await nomad.allocationEvents?.(alloc.id).catch(() => null);
      if (events?.length) alloc.events = events.slice(-limits.allocEvents).map((e) => `${e.task}: ${e.type}: ${e.message}`.slice(0, 300));
    }
    const deployment = troubled.length || job.status !== 'running' ? (await nomad.latestDeployment(job.id).catch(() => null))?.value : null;
    return { id: job.id, type: job.type, status: job.status, troubled, ...(deployment ? { deployment: { status: deployment.status, description: deployment.statusDescription } } : {}) };
  });
  const isTroubled = (j: JobFacts) => j.troubled.length > 0 || (j.status !== 'running' && !BATCH.has(j.type)) || j.deployment?.status === 'failed';
  return {
    jobCount: live.length,
    healthyJobs: facts.filter((j) => !isTroubled(j)).map((j) => j.id),
    troubledJobs: facts.filter(isTroubled).slice(0, limits.maxTroubledJobs),
    leader,
  };
}

async function gatherConsul(env: SessionEnvironment): Promise<ConsulFacts> {
  const consul = env.consul!;
  const [members, leader, critical, warning] = await Promise.all([consul.members(), consul.leader().catch(() => null), consul.checksInState('critical'), consul.checksInState('warning')]);
  return {
    leader,
    memberCount: members.length,
    unhealthyMembers: members.filter((m) => m.status !== 'alive').map((m) => ({ name: m.name, status: m.status, role: m.role })),
    checks: [...critical, ...warning].slice(0, 20).map((c) => ({ node: c.node, name: c.name, status: c.status, service: c.serviceName, output: env.redactor.redact(c.output).slice(0, 300) })),
  };
}

function gatherDeploys(env: SessionEnvironment, limits: GatherLimits): DeployFacts {
  return {
    entries: env.deployHistory!(limits.deploys).map((e) => ({ target: e.target, kind: e.kind, sha: e.sha.slice(0, 12), result: e.result, action: e.action, at: e.at, message: env.redactor.redact(e.message).slice(0, 200) })),
  };
}

async function gatherCommits(env: SessionEnvironment, limits: GatherLimits): Promise<CommitFacts> {
  const git = env.git!;
  const ref = env.config.agent.mainBranch;
  let sha: string | null = await mainCommit(git, ref);
  const commits: CommitFacts['commits'] = [];
  while (sha && commits.length < limits.commits) {
    const subject = (await git.message(sha)).split('\n')[0] ?? '';
    commits.push({ sha: sha.slice(0, 12), subject: env.redactor.redact(subject).slice(0, 160) });
    sha = await git.firstParent(sha);
  }
  return { ref, commits };
}

async function gatherKnowledge(env: SessionEnvironment, keywords: string[], limits: GatherLimits): Promise<KnowledgeFacts> {
  const own = await stewardDocs(env.goalsDir);
  const repo = env.git ? await repoDocs(env.git, await mainCommit(env.git, env.config.agent.mainBranch), '.steward/knowledge').catch(() => []) : [];
  return { docs: matchDocs([...own, ...repo], keywords, limits.knowledgeDocs, 1200) };
}

function subjectTexts(trigger: SessionTrigger, hosts: HostFacts[], nomad: NomadFacts | null): string[] {
  const texts = hosts.flatMap((h) => h.failedUnits);
  if (nomad) texts.push(...nomad.troubledJobs.map((j) => j.id));
  if (trigger.kind === 'on-failure') texts.push(trigger.unit);
  if (trigger.kind === 'ask') texts.push(trigger.question);
  if (trigger.kind === 'incident') texts.push(...trigger.alerts.flatMap((a) => Object.values(a.labels)));
  return texts;
}

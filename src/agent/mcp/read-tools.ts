// The read-only tools of `steward mcp`: each answers one bounded question as text (the server
// redacts and truncates it). Secret files of the repository are never shown.
import picomatch from 'picomatch';
import type { SessionEnvironment } from '../session/environment.js';
import { keywordsOf, mainCommit, matchDocs, repoDocs, stewardDocs } from '../session/context/knowledge.js';

const json = (value: unknown) => JSON.stringify(value, null, 1);
/**
 * Allocations are named by their 8-character short id, as Nomad's CLI does: a whole UUID in a
 * quoted position looks like an ACL token to the redactor and would reach the model as `***`.
 * restart_alloc and nomad_alloc_logs take the prefix (resolved within the job).
 */
const shortId = (id: string) => id.slice(0, 8);
const TIMEOUT_MS = 30_000;

export async function hostStatus(env: SessionEnvironment, args: { host?: string | undefined }): Promise<string> {
  const names = args.host ? [args.host] : env.hostNames;
  const rows = await Promise.all(
    names.map(async (host) => {
      if (!env.hostNames.includes(host)) return { host, error: 'unknown host' };
      const d = env.diagnosticsFor(host);
      if (!d) return { host, error: 'no transport to this host' };
      return Promise.all([d.failedUnits(TIMEOUT_MS), d.system(TIMEOUT_MS)]).then(
        ([failedUnits, system]) => ({ host, failedUnits, currentSystem: system.current, bootedSystem: system.booted, rebootPending: system.current !== system.booted }),
        (e: Error) => ({ host, error: e.message }),
      );
    }),
  );
  return json(rows);
}

export async function journal(env: SessionEnvironment, args: { host: string; unit?: string | undefined; lines?: number | undefined }): Promise<string> {
  if (!env.hostNames.includes(args.host)) throw new Error(`unknown host ${args.host}`);
  const d = env.diagnosticsFor(args.host);
  if (!d) throw new Error(`no transport to ${args.host}`);
  const lines = await d.journal({ ...(args.unit ? { unit: args.unit } : {}), lines: Math.min(args.lines ?? 50, 200), timeoutMs: TIMEOUT_MS });
  return lines.join('\n') || '(no error lines)';
}

export async function nomadJobStatus(env: SessionEnvironment, args: { job?: string | undefined; alloc?: string | undefined }): Promise<string> {
  const nomad = env.nomad;
  if (!nomad) throw new Error('no Nomad address configured');
  if (args.job && args.alloc) {
    const alloc = (await nomad.jobAllocations(args.job)).value.find((a) => a.id.startsWith(args.alloc!));
    if (!alloc) throw new Error(`no allocation ${args.alloc} in job ${args.job}`);
    const events = nomad.allocationEvents ? await nomad.allocationEvents(alloc.id) : [];
    return json({ id: shortId(alloc.id), name: alloc.name, node: alloc.nodeName, desired: alloc.desiredStatus, client: alloc.clientStatus, healthy: alloc.healthy ?? null, events: events.slice(-20) });
  }
  if (!args.job) return json((await nomad.listJobs()).map((j) => ({ id: j.id, type: j.type, status: j.status, version: j.version, stopped: j.stop })));
  const [allocs, deployment] = await Promise.all([nomad.jobAllocations(args.job), nomad.latestDeployment(args.job).catch(() => null)]);
  return json({
    job: args.job,
    allocations: allocs.value.slice(0, 30).map((a) => ({ id: shortId(a.id), name: a.name, node: a.nodeName, desired: a.desiredStatus, client: a.clientStatus, healthy: a.healthy ?? null, version: a.jobVersion })),
    latestDeployment: deployment?.value ? { id: shortId(deployment.value.id), status: deployment.value.status, description: deployment.value.statusDescription, groups: deployment.value.groups } : null,
  });
}

/**
 * The recent output of an allocation's tasks. Bounded twice: Nomad sends only the last bytes
 * (`origin=end`), and the server cuts the tool's answer to agent.toolOutputChars and redacts it.
 */
export async function nomadAllocLogs(env: SessionEnvironment, args: { job: string; alloc: string; task?: string | undefined; type?: 'stdout' | 'stderr' | undefined }): Promise<string> {
  const nomad = env.nomad;
  if (!nomad?.allocationLogs) throw new Error('no Nomad address configured');
  // The allocation must belong to the job: an id prefix is resolved within it, never across jobs.
  const alloc = (await nomad.jobAllocations(args.job)).value.find((a) => a.id.startsWith(args.alloc));
  if (!alloc) throw new Error(`no allocation ${args.alloc} in job ${args.job}`);
  const type = args.type ?? 'stderr';
  const logs = await nomad.allocationLogs(alloc.id, { type, maxBytes: Math.max(1024, env.config.agent.toolOutputChars), ...(args.task ? { task: args.task } : {}) });
  const body = logs.map((l) => `## ${l.task} ${type} (last lines)\n${l.text.trimEnd() || '(empty)'}`).join('\n\n');
  return `allocation ${shortId(alloc.id)} (${alloc.name}) on ${alloc.nodeName}\n\n${body || '(no tasks)'}`;
}

export async function consulHealth(env: SessionEnvironment, args: { service?: string | undefined }): Promise<string> {
  const consul = env.consul;
  if (!consul) throw new Error('no Consul address configured');
  if (args.service) {
    const { value } = await consul.serviceHealth(args.service);
    return json(value.map((i) => ({ node: i.node, service: i.serviceId, address: `${i.address}:${i.port}`, checks: i.checks.map((c) => ({ name: c.name, status: c.status, output: c.output.slice(0, 300) })) })));
  }
  const [members, leader, checks] = await Promise.all([consul.members(), consul.leader(), consul.checksInState('any')]);
  return json({ leader, members: members.map((m) => ({ name: m.name, status: m.status, role: m.role })), notPassing: checks.filter((c) => c.status !== 'passing').slice(0, 30).map((c) => ({ node: c.node, name: c.name, status: c.status, service: c.serviceName, output: c.output.slice(0, 300) })) });
}

export async function deployHistory(env: SessionEnvironment, args: { target?: string | undefined; limit?: number | undefined }): Promise<string> {
  if (!env.deployHistory) throw new Error('no state store');
  const entries = env.deployHistory(200).filter((e) => !args.target || e.target === args.target || `${e.kind}:${e.target}` === args.target);
  return json(entries.slice(0, Math.min(args.limit ?? 20, 100)));
}

export async function knowledgeSearch(env: SessionEnvironment, args: { query: string }): Promise<string> {
  const own = await stewardDocs(env.goalsDir);
  const repo = env.git ? await repoDocs(env.git, await mainCommit(env.git, env.config.agent.mainBranch), '.steward/knowledge').catch(() => []) : [];
  const found = matchDocs([...own, ...repo], keywordsOf([args.query]), 5, 2000);
  return found.length ? found.map((d) => `## ${d.title} (${d.source})\n${d.excerpt}`).join('\n\n') : '(no knowledge document matches)';
}

export async function gitLog(env: SessionEnvironment, args: { limit?: number | undefined }): Promise<string> {
  const git = env.git;
  if (!git) throw new Error('no repository');
  let sha: string | null = await mainCommit(git, env.config.agent.mainBranch);
  const out: string[] = [];
  while (sha && out.length < Math.min(args.limit ?? 20, 100)) {
    out.push(`${sha.slice(0, 12)} ${(await git.message(sha)).split('\n')[0]}`);
    sha = await git.firstParent(sha);
  }
  return out.join('\n');
}

export async function gitShow(env: SessionEnvironment, args: { rev: string; path?: string | undefined }): Promise<string> {
  const git = env.git;
  if (!git) throw new Error('no repository');
  if (!/^[0-9a-f]{7,40}$/i.test(args.rev) && args.rev !== env.config.agent.mainBranch) throw new Error('rev must be a commit sha or the main branch');
  const sha = args.rev === env.config.agent.mainBranch ? await mainCommit(git, args.rev) : await git.resolve(args.rev);
  if (args.path) {
    if (picomatch.isMatch(args.path, env.config.classify.secrets, { dot: true })) throw new Error(`${args.path} is a secret file: not shown`);
    return (await git.show(sha, args.path)) ?? `(no ${args.path} at ${sha.slice(0, 12)})`;
  }
  const parent = await git.firstParent(sha);
  const changed = parent ? await git.changedPaths(parent, sha) : [];
  return `${sha}\n${await git.message(sha)}\n\nchanged:\n${changed.map((c) => `${c.status} ${c.path} (+${c.additions} -${c.deletions})`).join('\n')}`;
}

// Reads a failed deploy step's evidence into a typed failure (pure): the switch's exit code and
// output, the failed units' journal lines, the guard's confirmation, the verification and
// invariant checks, a Nomad deployment's allocations. Unrecognised evidence is `unknown` (or the
// step's generic signature), never a guess: only recognised signatures map to a retry.
import type { BuiltinSignature, DeployFailure } from '../../model/deploy-failure.js';
import type { Evidence } from '../../model/evidence.js';
import { IMAGE_PULL, matchingLines, mentions, MOUNT_REFUSED, NOMAD_DEPENDENCY, NOT_READY, PORT_IN_USE, SWITCH_INHIBITED, TASK_CRASHED } from './evidence-patterns.js';
import { noContext, type AllocationEvidence, type DiagnoseContext, type FailedStep, type UnitEvidence } from './failed-step.js';

type Failure = Omit<DeployFailure, 'signature'> & { signature: BuiltinSignature };

export function classifyFailure(step: FailedStep, context: DiagnoseContext = noContext): Failure {
  switch (step.step) {
    case 'connection':
      return { signature: 'host.unreachable', step: 'connection', target: host(step.host), summary: `${step.host} could not be reached before anything ran: ${step.detail}`, evidence: [{ host: step.host, signal: 'connection', detail: step.detail }], dependsOn: [] };
    case 'confirmation':
      return { signature: 'host.lost-access', step: 'confirmation', target: host(step.host), summary: `${step.host} switched, then could not be reached over a new connection: the change may cut access`, evidence: [{ host: step.host, signal: 'confirmation', detail: step.detail }], dependsOn: [] };
    case 'activation':
      return classifyActivation(step, context);
    case 'verification':
      return classifyVerification(step, context);
    case 'invariant':
      return classifyInvariants(step);
    case 'job-deployment':
      return classifyJob(step);
  }
}

function classifyActivation(step: Extract<FailedStep, { step: 'activation' }>, context: DiagnoseContext): Failure {
  const what = `switch-to-configuration ${step.action}`;
  const exit: Evidence = { host: step.host, signal: step.timedOut ? `${what} timed out` : `${what} exit ${step.exitCode ?? 'none'}` };
  const base = { step: 'activation' as const, target: host(step.host), dependsOn: [] };
  const fromOutput = (pattern: RegExp) => matchingLines([step.output], pattern).map((detail) => ({ ...exit, detail }));
  if (step.timedOut) {
    const waiting = fromOutput(NOT_READY);
    if (waiting.length) return { ...base, signature: 'unit.dependency-not-ready', summary: `${what} on ${step.host} hung waiting for something that was not up`, evidence: waiting };
    return { ...base, signature: 'switch.timeout', summary: `${what} on ${step.host} did not finish in time`, evidence: [exit, ...fromOutput(/./).slice(-2)] };
  }
  if (step.exitCode === 1) {
    const inhibited = fromOutput(/./).filter((e) => SWITCH_INHIBITED.test(e.detail ?? '') || /:\s.+\s->\s/.test(e.detail ?? ''));
    if (inhibited.length) return { ...base, signature: 'switch.inhibited', summary: `${step.host}: critical components changed (switch inhibitors): only a reboot may apply them`, evidence: inhibited };
    return { ...base, signature: 'switch.pre-switch-failed', summary: `${what} on ${step.host}: a pre-switch check or the bootloader failed`, evidence: [exit, ...tail(step.output).map((detail) => ({ ...exit, detail }))] };
  }
  if (step.exitCode === 2) return { ...base, signature: 'switch.activation-script-failed', summary: `${what} on ${step.host}: the activation script failed`, evidence: [exit, ...tail(step.output).map((detail) => ({ ...exit, detail }))] };
  if (step.exitCode === 4 || step.failedUnits.length > 0) {
    const units = classifyUnits(step.host, step.failedUnits, step.output, context);
    return { ...base, ...units, evidence: [exit, ...units.evidence] };
  }
  return { ...base, signature: 'unknown', summary: `${what} on ${step.host} failed (exit ${step.exitCode ?? 'none'})`, evidence: [exit, ...tail(step.output).map((detail) => ({ ...exit, detail }))] };
}

function classifyVerification(step: Extract<FailedStep, { step: 'verification' }>, context: DiagnoseContext): Failure {
  const failedChecks = step.checks.filter((c) => !c.ok).map((c): Evidence => ({ host: step.host, signal: `check ${c.name}`, detail: c.detail }));
  const base = { step: 'verification' as const, target: host(step.host), dependsOn: [] };
  const broken = step.checks.filter((c) => !c.ok);
  // Only the host's own invariants failed: they say more than "verification failed".
  if (broken.length > 0 && broken.every((c) => c.name.startsWith('invariant: '))) return { ...classifyInvariants({ step: 'invariant', checks: broken }), step: 'verification', target: host(step.host) };
  if (step.failedUnits.length > 0) {
    const units = classifyUnits(step.host, step.failedUnits, '', context);
    if (units.signature !== 'switch.units-failed') return { ...base, ...units, evidence: [...failedChecks, ...units.evidence] };
  }
  return { ...base, signature: 'verification.failed', summary: `${step.host} did not pass the checks after the switch`, evidence: failedChecks };
}

/** Priority when several units failed for known reasons: what a reboot fixes first. */
const UNIT_ORDER: BuiltinSignature[] = ['mount.remount-refused', 'switch.port-handover', 'unit.dependency-order', 'unit.dependency-not-ready'];

/** Every failed unit must be explained; one unexplained unit makes the whole failure unexplained. */
function classifyUnits(hostName: string, units: UnitEvidence[], output: string, context: DiagnoseContext): Pick<Failure, 'signature' | 'summary' | 'evidence' | 'dependsOn'> {
  const read = units.map((u) => ({ unit: u.unit, ...classifyUnit(hostName, u, output, context) }));
  const evidence = read.flatMap((r) => r.evidence);
  const names = read.map((r) => r.unit).join(', ') || 'none named';
  const unexplained = read.filter((r) => r.signature === null);
  if (read.length === 0 || unexplained.length > 0) {
    return { signature: 'switch.units-failed', summary: `units failed on ${hostName} (${names})${unexplained.length ? `; no known cause for ${unexplained.map((u) => u.unit).join(', ')}` : ''}`, evidence, dependsOn: [] };
  }
  const signature = UNIT_ORDER.find((s) => read.some((r) => r.signature === s)) as BuiltinSignature;
  const dependsOn = [...new Set(read.flatMap((r) => r.dependsOn))];
  const why: Partial<Record<BuiltinSignature, string>> = {
    'mount.remount-refused': 'a mount could not be changed while mounted',
    'switch.port-handover': 'the old unit still held its port when the new one started',
    'unit.dependency-order': `they need ${dependsOn.join(', ')}, which this rollout had not reached yet`,
    'unit.dependency-not-ready': 'something they need was not up yet',
  };
  return { signature, summary: `units failed on ${hostName} (${names}): ${why[signature]}`, evidence, dependsOn };
}

function classifyUnit(hostName: string, u: UnitEvidence, output: string, context: DiagnoseContext): { signature: BuiltinSignature | null; evidence: Evidence[]; dependsOn: string[] } {
  // The switch's own output lines that name the unit count as its evidence too.
  const lines = [...u.journal, ...output.split('\n').filter((l) => l.includes(u.unit) && !/the following units/.test(l))];
  const at = (detail: string): Evidence => ({ host: hostName, unit: u.unit, signal: 'journal', detail });
  const mount = matchingLines(lines, MOUNT_REFUSED);
  if (mount.length && (u.unit.endsWith('.mount') || u.unit.endsWith('.automount') || lines.some((l) => /\bmount/i.test(l)))) return { signature: 'mount.remount-refused', evidence: mount.map(at), dependsOn: [] };
  const port = matchingLines(lines, PORT_IN_USE);
  if (port.length) return { signature: 'switch.port-handover', evidence: port.map(at), dependsOn: [] };
  const notReady = matchingLines(lines, NOT_READY);
  if (notReady.length) {
    const later = context.pendingHosts.filter((h) => h !== hostName && mentions(notReady, [h, ...(context.aliases[h] ?? [])]));
    return { signature: later.length ? 'unit.dependency-order' : 'unit.dependency-not-ready', evidence: notReady.map(at), dependsOn: later };
  }
  return { signature: null, evidence: u.journal.slice(-2).map((l) => at(l.trim().slice(0, 300))), dependsOn: [] };
}

function classifyInvariants(step: Extract<FailedStep, { step: 'invariant' }>): Failure {
  const broken = step.checks.filter((c) => !c.ok);
  const evidence = broken.map((c): Evidence => ({ signal: c.name, detail: c.detail, ...(c.target?.startsWith('host ') ? { host: c.target.slice(5) } : {}) }));
  const target = { kind: 'invariant' as const, name: broken.map((c) => c.name.replace(/^invariant: /, '')).join(', ') || 'invariants' };
  const allNotReady = broken.length > 0 && broken.every((c) => NOT_READY.test(c.detail));
  if (allNotReady) return { signature: 'invariant.not-ready', step: 'invariant', target, summary: `after the deploy, ${target.name} did not answer yet`, evidence, dependsOn: [] };
  return { signature: 'invariant.failed', step: 'invariant', target, summary: `after the deploy, ${target.name} failed`, evidence, dependsOn: [] };
}

function classifyJob(step: Extract<FailedStep, { step: 'job-deployment' }>): Failure {
  const base = { step: 'job-deployment' as const, target: { kind: 'job' as const, name: step.job }, dependsOn: [] };
  const status: Evidence = { job: step.job, signal: `deployment ${step.status}`, detail: step.description };
  const seen = (alloc: AllocationEvidence, pattern: RegExp, texts: string[]) => matchingLines(texts, pattern).map((detail): Evidence => ({ job: step.job, signal: `allocation ${alloc.name} on ${alloc.node}`, detail }));
  const all = (pattern: RegExp, pick: (a: AllocationEvidence) => string[]) => step.allocations.flatMap((a) => seen(a, pattern, pick(a)));
  const pull = all(IMAGE_PULL, (a) => a.events);
  if (pull.length) return { ...base, signature: 'nomad.image-pull-failed', summary: `job ${step.job}: a task could not pull its image`, evidence: [status, ...pull] };
  const unhealthy = step.allocations.filter((a) => a.healthy === false || a.clientStatus === 'failed');
  // Every unhealthy allocation must be explained by something else it waited for.
  if (unhealthy.length > 0 && unhealthy.every((a) => seen(a, NOMAD_DEPENDENCY, a.events).length > 0)) {
    return { ...base, signature: 'nomad.dependency-not-ready', summary: `job ${step.job}: its tasks waited for something that was not there yet`, evidence: [status, ...all(NOMAD_DEPENDENCY, (a) => a.events)] };
  }
  const crashed = all(TASK_CRASHED, (a) => a.events);
  if (crashed.length) return { ...base, signature: 'nomad.deployment-failed', summary: `job ${step.job}: a task crashed or was killed`, evidence: [status, ...crashed] };
  const other = step.allocations.flatMap((a) => seen(a, /./, [...a.checks, ...a.events].slice(-2)));
  return { ...base, signature: 'nomad.deployment-failed', summary: `job ${step.job}: deployment ${step.status}`, evidence: [status, ...other.slice(0, 6)] };
}

const host = (name: string) => ({ kind: 'host' as const, name });

function tail(output: string, n = 2): string[] {
  return output
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .map((l) => l.slice(0, 300));
}

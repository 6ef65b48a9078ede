// The memory right-sizing proposer (pure): a task whose reserved memory is far above the peak its
// running allocations report gets a smaller `memory =`, with headroom. One proposal per job.
import type { NomadJob } from '../../model/nomad-job.js';
import type { FileEdit, Proposal } from './proposal.js';
import { topicSlug } from './proposal.js';

const MIB = 1024 * 1024;
/** Headroom over the observed peak, and the floor and step of a proposed reservation (MiB). */
const HEADROOM = 1.5;
const FLOOR_MB = 64;
const STEP_MB = 32;
/** Proposed only when the reservation is at least twice the target and frees at least this much. */
const MIN_SAVING_MB = 128;

export interface TaskPeak {
  group: string;
  task: string;
  /** Highest memory use seen across the task's running allocations, in bytes. */
  peakBytes: number;
  allocations: number;
}

export function targetMemoryMb(peakBytes: number): number {
  return Math.max(FLOOR_MB, Math.ceil((peakBytes / MIB) * HEADROOM / STEP_MB) * STEP_MB);
}

/** `memory = <from>` in the task's own block: the first such line after its header (1-based `taskLine`), before the next task. */
function replaceTaskMemory(text: string, taskLine: number, from: number, to: number): string | null {
  const lines = text.split('\n');
  for (let i = taskLine - 1; i < lines.length; i++) {
    if (i > taskLine - 1 && /^\s*task\s+"/.test(lines[i]!)) return null;
    const m = /^(\s*memory\s*=\s*)(\d+)(.*)$/.exec(lines[i]!);
    if (m && Number(m[2]) === from) {
      lines[i] = `${m[1]}${to}${m[3]}`;
      return lines.join('\n');
    }
  }
  return null;
}

export function planMemoryRightsizing(jobs: NomadJob[], files: Map<string, string>, peaks: Map<string, TaskPeak[]>): Proposal[] {
  const proposals: Proposal[] = [];
  for (const job of [...jobs].sort((a, b) => a.id.localeCompare(b.id))) {
    let text = files.get(job.file);
    if (text === undefined || job.type !== 'service') continue;
    const changes: { task: string; from: number; to: number; peakMb: number; allocations: number }[] = [];
    for (const group of job.groups) {
      for (const task of group.tasks) {
        const reserved = task.resources.memory;
        const peak = peaks.get(job.id)?.find((p) => p.group === group.name && p.task === task.name);
        if (reserved === null || task.line === null || !peak || peak.allocations === 0) continue;
        const target = targetMemoryMb(peak.peakBytes);
        if (reserved < 2 * target || reserved - target < MIN_SAVING_MB) continue;
        const next = replaceTaskMemory(text, task.line, reserved, target);
        if (next === null) continue;
        text = next;
        changes.push({ task: `${group.name}/${task.name}`, from: reserved, to: target, peakMb: Math.round(peak.peakBytes / MIB), allocations: peak.allocations });
      }
    }
    if (changes.length === 0) continue;
    const edits: FileEdit[] = [{ path: job.file, content: text }];
    const detail = changes.map((c) => `- \`${c.task}\`: reserves ${c.from} MiB, peak ${c.peakMb} MiB over ${c.allocations} running allocation${c.allocations === 1 ? '' : 's'} → ${c.to} MiB (peak × ${HEADROOM}, rounded up to ${STEP_MB} MiB)`).join('\n');
    proposals.push({
      kind: 'memory',
      topic: topicSlug(`memory-${job.id}`),
      title: `Right-size memory of ${job.id}`,
      rationale: `The running allocations of \`${job.id}\` use far less memory than they reserve; the reservation holds memory other jobs cannot be placed on.\n\n${detail}\n\nA peak is what Nomad reported while Steward looked; a job with rare spikes may need more. Nomad kills a task that exceeds its reservation (unless \`memory_max\` allows it).`,
      edits,
      versionChanges: changes.map((c) => ({ name: `${job.id} ${c.task} memory`, from: `${c.from} MiB`, to: `${c.to} MiB`, paths: [job.file] })),
    });
  }
  return proposals;
}

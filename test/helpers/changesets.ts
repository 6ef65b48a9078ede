// Hand-built ChangeSets for rule tests: one helper per ingredient, everything else empty.
import type { ChangeSet } from '../../src/model/changeset.js';
import { emptyHostChange, type HostChange, type MountChange, type UnitChange } from '../../src/model/host-change.js';
import { emptyJobChange, type JobChange } from '../../src/model/job-change.js';
import type { DiffSignal, FileChange } from '../../src/model/repo-change.js';

export function changeSet(over: Partial<ChangeSet> & { level?: ChangeSet['level'] } = {}): ChangeSet {
  return {
    base: 'a'.repeat(40),
    head: 'b'.repeat(40),
    level: 'build',
    hosts: [],
    jobs: [],
    jobFindings: [],
    repo: { files: [], signals: [], inputs: [], secrets: [], docsOnly: false },
    errors: [],
    ...over,
  };
}

export function host(name: string, over: Partial<HostChange> = {}): HostChange {
  return { ...emptyHostChange(name, [], 'changed'), ...over };
}

export function unit(name: string, over: Partial<UnitChange> = {}): UnitChange {
  return { unit: name, change: 'changed', action: 'restart', critical: false, why: 'stopped before activation and started after', stateful: false, changedKeys: ['Service.ExecStart'], ...over };
}

export function mount(mountPoint: string, over: Partial<MountChange> = {}): MountChange {
  return { mountPoint, unit: `${mountPoint.slice(1).replace(/\//g, '-')}.mount`, change: 'options', fsType: 'nfs4', network: true, swap: false, from: 'a', to: 'b', ...over };
}

export function file(path: string, over: Partial<FileChange> = {}): FileChange {
  return { path, status: 'modified', kind: path.endsWith('.nix') ? 'nix' : path.endsWith('.md') ? 'docs' : 'other', additions: 1, deletions: 1, hosts: [], cosmetic: false, ...over };
}

export function signal(option: string, over: Partial<DiffSignal> = {}): DiffSignal {
  return { file: 'modules/common.nix', line: 3, side: 'added', option, text: `${option} = x;`, hosts: [], ...over };
}

export function jobChange(job: string, over: Partial<JobChange> = {}): JobChange {
  return { ...emptyJobChange({ job, namespace: 'default', file: `nomad/${job}.nomad`, line: 1, change: 'modified', type: 'service' }), ...over };
}

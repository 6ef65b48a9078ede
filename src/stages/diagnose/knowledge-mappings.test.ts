import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeployFailure } from '../../model/deploy-failure.js';
import { lookupSignature, parseFailureMappings } from './knowledge-mappings.js';

const GOALS = path.join(import.meta.dirname, '../../../goals/knowledge/failures');
const shipped = () => readdirSync(GOALS).filter((n) => n.endsWith('.md')).map((n) => ({ source: `goals/knowledge/failures/${n}`, text: readFileSync(path.join(GOALS, n), 'utf8') }));

const failure = (over: Partial<DeployFailure>): DeployFailure => ({ signature: 'unknown', step: 'activation', target: { kind: 'host', name: 'nas' }, summary: 'x', evidence: [], dependsOn: [], ...over });

describe('parseFailureMappings', () => {
  it("reads Steward's shipped knowledge without a problem, and maps the built-in signatures that have a strategy", () => {
    const { mappings, problems } = parseFailureMappings(shipped());
    expect(problems).toEqual([]);
    const bySignature = Object.fromEntries(mappings.map((m) => [m.signature, m.strategy]));
    expect(bySignature).toMatchObject({
      'mount.remount-refused': 'boot-and-reboot',
      'switch.port-handover': 'boot-and-reboot',
      'switch.inhibited': 'boot-and-reboot',
      'unit.dependency-not-ready': 'retry-after-wait',
      'unit.dependency-order': 'reorder-hosts',
      'host.unreachable': 'retry-after-wait',
      'host.lost-access': 'rollback-and-escalate',
    });
    expect(mappings.find((m) => m.signature === 'mount.remount-refused')?.source).toBe('goals/knowledge/failures/mount-remount-refused.md');
  });

  it('reports every invalid block with its place, and keeps the valid ones', () => {
    const text = [
      '# notes',
      '```steward-failure\nsignature: mount.remount-refused\nstrategy: reboot-everything\nwhy: x\n```',
      '```steward-failure\nsignature: mount.remount-refused\nstrategy: boot-and-reboot\nmatch: busy\nwhy: x\n```',
      '```steward-failure\nsignature: repo.zfs-busy\nstrategy: retry-after-wait\nwhy: x\n```',
      '```steward-failure\nsignature: repo.bad-regex\nstrategy: retry-after-wait\nmatch: "(unclosed"\nwhy: x\n```',
      '```steward-failure\n: : :\n  - [\n```',
      '```steward-failure\nsignature: repo.zfs-busy\nstrategy: retry-after-wait\nmatch: "pool is busy"\nwhy: the pool was still exporting\n```',
    ].join('\n\n');
    const { mappings, problems } = parseFailureMappings([{ source: '.steward/knowledge/zfs.md@abc', text }]);
    expect(mappings.map((m) => m.signature)).toEqual(['repo.zfs-busy']);
    expect(problems).toHaveLength(5);
    expect(problems[0]).toMatch(/^\.steward\/knowledge\/zfs\.md@abc \(steward-failure block 1\): strategy: /);
    expect(problems[1]).toContain('a built-in signature is recognised by Steward');
    expect(problems[3]).toContain('must be a valid regular expression');
    expect(problems[4]).toContain('not YAML');
  });
});

describe('lookupSignature', () => {
  const { mappings: steward } = parseFailureMappings(shipped());
  const repo = parseFailureMappings([
    { source: '.steward/knowledge/ours.md', text: "```steward-failure\nsignature: repo.zfs-busy\nstrategy: retry-after-wait\nmatch: 'cannot import ''\\w+'': pool is busy'\nwhy: zfs export still running\n```\n\n```steward-failure\nsignature: unit.dependency-not-ready\nstrategy: rollback-and-escalate\nwhy: here a dependency that is not up means the NAS is down\n```" },
  ]).mappings;

  it("maps a built-in signature through Steward's documents, and lets the repository's own word win", () => {
    expect(lookupSignature(failure({ signature: 'mount.remount-refused' }), repo, steward).mapping?.strategy).toBe('boot-and-reboot');
    expect(lookupSignature(failure({ signature: 'unit.dependency-not-ready' }), repo, steward).mapping).toMatchObject({ strategy: 'rollback-and-escalate', source: '.steward/knowledge/ours.md' });
  });

  it("names a generic failure by a custom signature when its pattern matches the evidence, never a precise one", () => {
    const evidence = [{ host: 'nas', unit: 'zfs-import-tank.service', detail: "cannot import 'tank': pool is busy" }];
    expect(lookupSignature(failure({ signature: 'switch.units-failed', evidence }), repo, steward)).toMatchObject({ signature: 'repo.zfs-busy', mapping: { strategy: 'retry-after-wait' } });
    expect(lookupSignature(failure({ signature: 'mount.remount-refused', evidence }), repo, steward).signature).toBe('mount.remount-refused');
  });

  it('has no mapping for a signature no document names', () => {
    expect(lookupSignature(failure({ signature: 'unknown' }), repo, steward)).toEqual({ signature: 'unknown', mapping: null });
  });
});

// Benchmark (c): rules classification of a 100-host ChangeSet (target <= 100 ms).
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import type { ChangeSet } from '../../src/model/changeset.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { changeSet, host, mount, signal, unit } from '../helpers/changesets.js';

export function buildFleetChangeSet(hosts: number): ChangeSet {
  return changeSet({
    hosts: Array.from({ length: hosts }, (_, i) =>
      host(`host${i}`, {
        units: [unit('prometheus-node-exporter.service'), unit('homepage.service', { action: 'reload' }), ...(i % 10 === 0 ? [unit('sshd.service', { critical: true })] : [])],
        mounts: i % 3 === 0 ? [mount('/mnt/media')] : [],
        boot: i % 7 === 0 ? { kernel: { from: 'linux-6.6.66/bzImage', to: 'linux-6.12.6/bzImage' } } : {},
        packages: Array.from({ length: 40 }, (_, p) => ({ name: `pkg${p}`, from: ['1.0'], to: ['1.1'], major: false })),
        etc: ['hostname', ...(i % 5 === 0 ? ['ssh/sshd_config'] : [])],
      }),
    ),
    repo: { files: [], signals: Array.from({ length: 200 }, (_, i) => signal(i % 2 ? 'services.openssh.ports' : 'environment.systemPackages', { line: i + 1 })), inputs: [], secrets: [], docsOnly: false },
  });
}

export function benchRules(runs = 21): { lines: string[] } {
  const cs = buildFleetChangeSet(100);
  const options = { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 };
  classifyRules(cs, options); // warm the JIT, as a long-lived process would be
  const samples = Array.from({ length: runs }, () => {
    const started = performance.now();
    classifyRules(structuredClone(cs), options);
    return performance.now() - started;
  }).sort((a, b) => a - b);
  const median = samples[Math.floor(runs / 2)] as number;
  return { lines: [`(c) rules classification of a 100-host ChangeSet: median ${median.toFixed(1)} ms of ${runs} runs (min ${samples[0]?.toFixed(1)}, max ${samples[runs - 1]?.toFixed(1)}; target ≤ 100 ms: ${median <= 100 ? 'met' : 'MISSED'})`] };
}

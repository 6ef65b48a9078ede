// Issue 10: at diff level a change in a shared module names the hosts whose flake configuration
// reaches it, and cites the references followed (flake entry, then each import, file:line).
import { afterEach, describe, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import { analyzeRepo } from '../../src/stages/analyze/analyze-repo.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { changeSet } from '../helpers/changesets.js';
import { TempGitRepo } from '../helpers/minimal-git-port.js';

const FLAKE = [
  '{',
  '  outputs = { nixpkgs, ... }: {',
  '    nixosConfigurations.web = nixpkgs.lib.nixosSystem { modules = [ ./hosts/web ]; };',
  '    nixosConfigurations.db = nixpkgs.lib.nixosSystem { modules = [ ./hosts/db ]; };',
  '  };',
  '}',
  '',
].join('\n');
const importing = (module: string) => `{ ... }:\n{\n  imports = [ ${module} ];\n}\n`;
const SHARED = '{ ... }:\n{\n  networking.firewall.allowedTCPPorts = [ 22 ];\n}\n';

describe('diff level: hosts named through the flake', () => {
  const repos: TempGitRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.remove();
  });

  it('names only the hosts importing a changed shared module, citing the path followed', async () => {
    const repo = new TempGitRepo();
    repos.push(repo);
    const base = repo.commit({
      'flake.nix': FLAKE,
      'hosts/web/default.nix': importing('../common/firewall.nix'),
      'hosts/db/default.nix': importing('../common/other.nix'),
      'hosts/common/firewall.nix': SHARED,
      'hosts/common/other.nix': '{ ... }:\n{ }\n',
    });
    const head = repo.commit({ 'hosts/common/firewall.nix': SHARED.replace('[ 22 ]', '[ 22 8080 ]') });
    const rules = { docs: ['**/*.md'], secrets: ['secrets/**'], jobs: ['nomad/**/*.nomad'], hostPaths: ['hosts/{host}/**'] };
    const analysis = await analyzeRepo({ git: await openGitRepo(repo.root) }, { base, head, rules, knownHosts: [] });
    expect(analysis.repo.signals.every((s) => s.hosts.join() === 'web')).toBe(true);
    const verdict = classifyRules(changeSet({ level: 'diff', base, head, repo: analysis.repo }), { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });
    const reason = verdict.reasons.find((r) => r.ruleId === 'diff.firewall');
    expect(reason?.message).toContain('for web');
    expect(reason?.evidence[0]?.detail).toContain('reaches web: flake.nix:3 → hosts/web/default.nix:3 → hosts/common/firewall.nix');
  });
});

// Issue 9, defect 5: content git would not show as text (a NUL byte, a `-diff` attribute, a
// binary file in a host folder) and one-line modules must not hide a risky change at diff level.
import { afterEach, describe, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { DEFAULT_CRITICAL_UNITS } from '../../src/config/defaults.js';
import { analyzeRepo } from '../../src/stages/analyze/analyze-repo.js';
import { classifyRules } from '../../src/stages/classify/classify-rules.js';
import { changeSet } from '../helpers/changesets.js';
import { TempGitRepo } from '../helpers/minimal-git-port.js';

const HOST_MODULE = ['{ config, pkgs, ... }:', '{', '  # the web host', '  services.openssh.enable = true;', '  services.openssh.ports = [ 22 ];', '}', ''].join('\n');

async function reviewAtDiffLevel(repo: TempGitRepo, base: string, head: string) {
  const rules = { docs: ['**/*.md'], secrets: ['secrets/**'], jobs: ['nomad/**/*.nomad'], hostPaths: ['hosts/{host}/**'] };
  const analysis = await analyzeRepo({ git: await openGitRepo(repo.root) }, { base, head, rules, knownHosts: ['web'] });
  return classifyRules(changeSet({ level: 'diff', base, head, repo: analysis.repo }), { criticalUnits: DEFAULT_CRITICAL_UNITS, overrides: {}, nixpkgsBumpHosts: 2 });
}

describe('diff level: content that git would not show as text', () => {
  const repos: TempGitRepo[] = [];
  afterEach(() => {
    for (const r of repos.splice(0)) r.remove();
  });
  const newRepo = () => {
    const repo = new TempGitRepo();
    repos.push(repo);
    return { repo, base: repo.commit({ 'hosts/web/default.nix': HOST_MODULE, 'README.md': '# lab\n' }) };
  };

  it('a NUL byte in a Nix comment makes the file unreadable, hence risky, naming the file', async () => {
    const { repo, base } = newRepo();
    const head = repo.commit({ 'hosts/web/default.nix': HOST_MODULE.replace('# the web host', '# the web\u0000host').replace('[ 22 ]', '[ 22 2200 ]') });
    const verdict = await reviewAtDiffLevel(repo, base, head);
    expect(verdict.label).toBe('risky');
    const reason = verdict.reasons.find((r) => r.ruleId === 'repo.unreadable');
    expect(reason?.message).toContain('hosts/web/default.nix');
  });

  it('a committed .gitattributes with -diff does not hide the change', async () => {
    const { repo, base } = newRepo();
    const head = repo.commit({ '.gitattributes': '*.nix -diff\n', 'hosts/web/default.nix': HOST_MODULE.replace('[ 22 ]', '[ 22 2200 ]') });
    const verdict = await reviewAtDiffLevel(repo, base, head);
    expect(verdict.label).toBe('risky');
    expect(verdict.reasons.find((r) => r.ruleId === 'diff.ssh')?.evidence.some((e) => e.detail?.includes('2200'))).toBe(true);
  });

  it('a binary file in a host folder is risky, naming the file', async () => {
    const { repo, base } = newRepo();
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256));
    const head = repo.commit({ 'hosts/web/sshd-extra.bin': bytes.toString('latin1') });
    const verdict = await reviewAtDiffLevel(repo, base, head);
    expect(verdict.label).toBe('risky');
    expect(verdict.reasons.find((r) => r.ruleId === 'repo.unreadable')?.message).toContain('hosts/web/sshd-extra.bin');
  });

  it('a sops-encrypted file is a secret whatever its name', async () => {
    const { repo, base } = newRepo();
    const sops = (v: string) => `ssh_host_key: ENC[AES256_GCM,data:${v},iv:aXY=,tag:dGFn,type:str]\nsops:\n    mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n    version: 3.9.0\n`;
    const first = repo.commit({ 'hosts/web/keys.yaml': sops('b2xk') });
    const head = repo.commit({ 'hosts/web/keys.yaml': sops('bmV3') });
    const verdict = await reviewAtDiffLevel(repo, first, head);
    expect(verdict.label).toBe('risky');
    expect(verdict.reasons[0]?.ruleId).toBe('repo.secrets');
    expect(verdict.reasons[0]?.evidence.map((e) => e.file)).toEqual(['hosts/web/keys.yaml']);
    expect(base).toBeTruthy();
  });

  it('a one-line module is attributed like the same module over three lines', async () => {
    const { repo, base } = newRepo();
    const oneLine = repo.commit({ 'hosts/web/extra.nix': '{ ... }: { services.openssh.ports = [ 22 ]; }\n' });
    const head = repo.commit({ 'hosts/web/extra.nix': '{ ... }: { services.openssh.ports = [ 2200 ]; }\n' });
    const verdict = await reviewAtDiffLevel(repo, oneLine, head);
    expect(verdict.label).toBe('risky');
    expect(verdict.reasons[0]?.ruleId).toBe('diff.ssh');
    expect(verdict.reasons[0]?.evidence.map((e) => e.signal)).toEqual(['services.openssh.ports', 'services.openssh.ports']);
  });
});

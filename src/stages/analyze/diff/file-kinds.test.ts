import { describe, expect, it } from 'vitest';
import { DEFAULT_DOCS_GLOBS, DEFAULT_HOST_PATH_PATTERNS, DEFAULT_JOB_GLOBS, DEFAULT_SECRET_GLOBS } from '../../../config/defaults.js';
import { buildFileClassifier, gitCryptPatterns, hostPatternRegex } from './file-kinds.js';

const rules = { docs: DEFAULT_DOCS_GLOBS, secrets: DEFAULT_SECRET_GLOBS, jobs: DEFAULT_JOB_GLOBS, hostPaths: DEFAULT_HOST_PATH_PATTERNS };

describe('buildFileClassifier', () => {
  const classifier = buildFileClassifier({ ...rules, gitCrypt: gitCryptPatterns('*.key filter=git-crypt diff=git-crypt\n') }, ['nas', 'node1']);
  it.each([
    ['secrets/wifi.age', 'secret'],
    ['hosts/nas/secrets.yaml.age', 'secret'],
    ['vpn/wg0.key', 'secret'],
    ['flake.lock', 'lock'],
    ['nomad/grafana.nomad.hcl', 'nomad'],
    ['hosts/nas/default.nix', 'nix'],
    ['docs/setup.md', 'docs'],
    ['README.md', 'docs'],
    ['scripts/deploy.sh', 'other'],
  ])('classifies %s as %s', (path, kind) => {
    expect(classifier.kind(path)).toBe(kind);
  });
  it('attributes host folders and host files to known hosts only', () => {
    expect(classifier.hosts('hosts/nas/hardware.nix')).toEqual(['nas']);
    expect(classifier.hosts('hosts/node1.nix')).toEqual(['node1']);
    expect(classifier.hosts('hosts/unknown/default.nix')).toEqual([]);
    expect(classifier.hosts('modules/common.nix')).toEqual([]);
  });
});

describe('hostPatternRegex', () => {
  it('captures the host name at the placeholder', () => {
    expect(hostPatternRegex('machines/{host}/**').exec('machines/desk/default.nix')?.[1]).toBe('desk');
  });
});

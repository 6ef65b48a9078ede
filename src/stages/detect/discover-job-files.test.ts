// Job discovery by glob among tracked paths.
import { describe, expect, it } from 'vitest';
import { DEFAULT_JOB_GLOBS } from '../../config/defaults.js';
import { discoverJobFiles } from './discover-job-files.js';

const PATHS = [
  'flake.nix',
  'nomad/web.nomad',
  'nomad/db/postgres.nomad.hcl',
  'top.nomad',
  'nomad/nomad.hcl',
  'nomad/notes.md',
  'hosts/node1/nomad-agent.hcl',
  'archive/old.nomad',
  './nomad/dot-prefixed.nomad',
];

describe('discoverJobFiles', () => {
  it('finds .nomad and .nomad.hcl files at any depth with the default globs, sorted', () => {
    expect(discoverJobFiles(PATHS, DEFAULT_JOB_GLOBS)).toEqual([
      'archive/old.nomad',
      'nomad/db/postgres.nomad.hcl',
      'nomad/dot-prefixed.nomad',
      'nomad/web.nomad',
      'top.nomad',
    ]);
  });

  it('does not take a Nomad agent config (nomad.hcl) for a job', () => {
    expect(discoverJobFiles(['nomad.hcl', 'etc/nomad.d/nomad.hcl'], DEFAULT_JOB_GLOBS)).toEqual([]);
  });

  it('honours custom globs and `!` exclusions', () => {
    expect(discoverJobFiles(PATHS, ['nomad/**/*.{nomad,nomad.hcl}', '!nomad/db/**'])).toEqual(['nomad/dot-prefixed.nomad', 'nomad/web.nomad']);
  });

  it('finds nothing without an including glob', () => {
    expect(discoverJobFiles(PATHS, ['!**/*.nomad'])).toEqual([]);
  });
});

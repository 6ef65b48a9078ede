// The image-update proposer: which tag is the newest compatible one, and the edits it makes.
import { describe, expect, it } from 'vitest';
import { findImageUses, newestCompatibleTag, planImageUpdates } from './image-updates.js';

describe('newestCompatibleTag', () => {
  it('stays within the major version and the precision of the current tag', () => {
    expect(newestCompatibleTag('16.4', ['16.3', '16.4', '16.6', '16.10', '16.6.1', '17.0', 'latest', '16.6-alpine'])).toBe('16.10');
  });

  it('keeps the v prefix and the variant', () => {
    expect(newestCompatibleTag('v3.1.2', ['v3.1.5', '3.1.9', 'v3.2.0-rc1', 'v4.0.0'])).toBe('v3.1.5');
    expect(newestCompatibleTag('16.4-alpine', ['16.6-alpine', '16.7'])).toBe('16.6-alpine');
  });

  it('treats a 0.x minor as a major (semver §4)', () => {
    expect(newestCompatibleTag('0.4.1', ['0.4.3', '0.5.0'])).toBe('0.4.3');
  });

  it('returns null when nothing is newer or the tag is no version', () => {
    expect(newestCompatibleTag('16.4', ['16.3', '17.0'])).toBeNull();
    expect(newestCompatibleTag('latest', ['16.4'])).toBeNull();
  });
});

describe('planImageUpdates', () => {
  const files = [
    { path: 'nomad/postgres.nomad', text: 'job "postgres" {\n  config {\n    image = "postgres:16.4"\n  }\n}\n' },
    { path: 'nomad/backup.nomad', text: 'config {\n  image   = "postgres:16.4"\n}\n' },
    { path: 'nomad/app.nomad', text: 'config {\n  image = "ghcr.io/org/app:${var.tag}"\n}\n' },
  ];

  it('skips interpolated references', () => {
    expect(findImageUses(files).map((u) => u.repository)).toEqual(['postgres', 'postgres']);
  });

  it('proposes one change per repository across every job that uses it', () => {
    const [proposal, ...rest] = planImageUpdates(files, new Map([['postgres', ['16.4', '16.6', '17.2']]]));
    expect(rest).toEqual([]);
    expect(proposal).toMatchObject({ topic: 'image-postgres', title: 'Update postgres to 16.6', versionChanges: [{ name: 'postgres', from: '16.4', to: '16.6', paths: ['nomad/backup.nomad', 'nomad/postgres.nomad'] }] });
    expect(proposal!.edits.find((e) => e.path === 'nomad/backup.nomad')!.content).toBe('config {\n  image   = "postgres:16.6"\n}\n');
  });

  it('proposes nothing when every image is current', () => {
    expect(planImageUpdates(files, new Map([['postgres', ['16.4']]]))).toEqual([]);
  });
});

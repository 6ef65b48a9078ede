// The image tag comparison table: semver, calendar versions, variants, digests, latest.
import { describe, expect, it } from 'vitest';
import { compareImages, compareTags, parseImageRef } from './compare-image-tags.js';

describe('compareTags', () => {
  it.each([
    ['1.2.3', '1.2.4', 'patch', 'semver'],
    ['1.2.3', '1.3.0', 'minor', 'semver'],
    ['1.2.3', '2.0.0', 'major', 'semver'],
    ['v1.2', 'v1.2.7', 'patch', 'semver'],
    ['v1.2', 'v2.0', 'major', 'semver'],
    ['1.22', '1.22.5', 'patch', 'semver'],
    ['15-alpine', '16-alpine', 'major', 'semver'],
    ['15.4-alpine', '15.6-alpine', 'minor', 'semver'],
    ['0.57.0-alpine', '0.57.1-alpine', 'patch', 'semver'],
    ['v0.7.2', 'v0.8.3', 'major', 'semver'],
    ['0.8.3', '0.8.12', 'patch', 'semver'],
    ['2024.5.1', '2024.5.3', 'patch', 'calver'],
    ['2024.5.1', '2024.11.0', 'minor', 'calver'],
    ['2024.12.3', '2025.3.4', 'major', 'calver'],
    ['2023.2', '2023.3.6', 'minor', 'calver'],
    ['2026.5.9-0cba32c15', '2026.5.10-a1b2c3d4e', 'patch', 'calver'],
    ['1.4.0-ls45', '1.4.0-ls46', 'patch', 'semver'],
    ['2.0.0', '1.9.0', 'major', 'semver'],
    ['latest', '1.2.3', 'incomparable', 'none'],
    ['edge', '3.1.0', 'incomparable', 'none'],
    ['stable-alpine', 'mainline-alpine', 'incomparable', 'none'],
    ['15-alpine', '15-bookworm', 'incomparable', 'none'],
    ['1.2.3', '1.2.3', 'none', 'none'],
  ])('%s -> %s is %s (%s)', (from, to, bump, scheme) => {
    const c = compareTags(from, to);
    expect(c.bump).toBe(bump);
    expect(c.scheme).toBe(scheme);
  });

  it('explains why a 0.x minor bump counts as major', () => {
    expect(compareTags('0.7.2', '0.8.0').note).toMatch(/0\.x/);
  });

  it('says a downgrade is one', () => {
    expect(compareTags('2.0.0', '1.9.0').note).toMatch(/downgrade/);
  });

  it('treats a missing tag as latest', () => {
    expect(compareTags(null, '1.0.0')).toMatchObject({ bump: 'incomparable' });
    expect(compareTags(null, 'latest')).toMatchObject({ bump: 'none' });
  });
});

describe('parseImageRef', () => {
  it.each([
    ['postgres:16', { repository: 'postgres', tag: '16', digest: null }],
    ['docker.io/library/postgres:16', { repository: 'postgres', tag: '16', digest: null }],
    ['ghcr.io/home-assistant/home-assistant:2024.9.1', { repository: 'ghcr.io/home-assistant/home-assistant', tag: '2024.9.1', digest: null }],
    ['registry.local:5000/app', { repository: 'registry.local:5000/app', tag: null, digest: null }],
    ['nginx:1.27@sha256:abc', { repository: 'nginx', tag: '1.27', digest: 'sha256:abc' }],
    ['traefik/whoami', { repository: 'traefik/whoami', tag: null, digest: null }],
  ])('reads %s', (image, ref) => {
    expect(parseImageRef(image)).toEqual(ref);
  });
});

describe('compareImages', () => {
  it('compares tags when only the registry or owner changed, and says so', () => {
    const c = compareImages('homeassistant/home-assistant:2025.7.1', 'ghcr.io/home-assistant/home-assistant:2025.9.3');
    expect(c).toMatchObject({ bump: 'minor', repositoryChanged: true });
    expect(c.note).toMatch(/moved/);
  });

  it('does not compare two different images', () => {
    expect(compareImages('mysql:8', 'mariadb:11')).toMatchObject({ bump: 'incomparable', repositoryChanged: true });
  });

  it('cannot tell what a changed digest holds', () => {
    expect(compareImages('nginx@sha256:aaa', 'nginx@sha256:bbb').bump).toBe('incomparable');
    expect(compareImages('nginx:1.27@sha256:aaa', 'nginx:1.27@sha256:bbb').bump).toBe('incomparable');
  });

  it('compares tags when a digest is pinned beside them', () => {
    expect(compareImages('nginx:1.27.0@sha256:aaa', 'nginx:1.27.1@sha256:bbb').bump).toBe('patch');
  });
});

import { describe, expect, it } from 'vitest';
import { OPTION_CATEGORIES } from './diff-option-table.js';

const categoryOf = (option: string) => OPTION_CATEGORIES.find((c) => c.test.test(option))?.id ?? 'diff.leaf';

describe('diff-level option categories', () => {
  it('treats every state version as a one-way data migration', () => {
    expect(categoryOf('system.stateVersion')).toBe('diff.state-version');
    expect(categoryOf('mailserver.stateVersion')).toBe('diff.state-version');
    expect(categoryOf('services.foo.stateVersionFile')).toBe('diff.leaf');
  });

  it('puts boot.zfs on the reboot side and ZFS services on the data side', () => {
    expect(categoryOf('boot.zfs.package')).toBe('diff.zfs-boot');
    expect(categoryOf('boot.zfs.extraPools')).toBe('diff.zfs-boot');
    expect(categoryOf('services.zfs.autoScrub.enable')).toBe('diff.data');
  });

  it('counts run0 and sudo-rs as authentication', () => {
    expect(categoryOf('security.run0.wheelNeedsPassword')).toBe('diff.auth');
    expect(categoryOf('security.sudo-rs.enable')).toBe('diff.auth');
  });
});

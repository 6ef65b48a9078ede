import { describe, expect, it } from 'vitest';
import { diffFstab, systemdEscapePath } from './fstab.js';

const base = `# generated
/dev/disk/by-label/nixos / ext4 defaults 0 1
nas:/export/media /mnt/media nfs4 nfsvers=4.2,_netdev 0 0
/dev/disk/by-label/swap none swap defaults 0 0
`;

describe('diffFstab', () => {
  it('reports an options-only change of a network mount', () => {
    const after = base.replace('nfsvers=4.2,_netdev', 'nfsvers=4.2,_netdev,noatime');
    expect(diffFstab(base, after)).toEqual([
      { mountPoint: '/mnt/media', unit: 'mnt-media.mount', change: 'options', fsType: 'nfs4', network: true, swap: false, from: 'nfsvers=4.2,_netdev', to: 'nfsvers=4.2,_netdev,noatime' },
    ]);
  });
  it('reports a device change and a filesystem type change', () => {
    expect(diffFstab(base, base.replace('/dev/disk/by-label/nixos', '/dev/nvme0n1p2'))[0]?.change).toBe('device');
    expect(diffFstab(base, base.replace('/ ext4', '/ xfs'))[0]?.change).toBe('fsType');
  });
  it('reports a removed swap device by its device', () => {
    const [change] = diffFstab(base, base.replace('/dev/disk/by-label/swap none swap defaults 0 0\n', ''));
    expect(change).toMatchObject({ change: 'removed', swap: true, mountPoint: '/dev/disk/by-label/swap', unit: 'dev-disk-by\\x2dlabel-swap.swap' });
  });
  it('reports added mounts', () => {
    const after = `${base}nas:/export/backup /mnt/backup nfs4 nfsvers=4.2 0 0\n`;
    expect(diffFstab(base, after)).toMatchObject([{ mountPoint: '/mnt/backup', change: 'added', network: true }]);
  });
  it('sees no change when only comments and spacing differ', () => {
    expect(diffFstab(base, base.replace('# generated', '# generated, do not edit').replace(' / ext4', '   /   ext4'))).toEqual([]);
  });
});

describe('systemdEscapePath', () => {
  it('escapes like systemd-escape --path', () => {
    expect(systemdEscapePath('/')).toBe('-');
    expect(systemdEscapePath('/mnt/my-disk/')).toBe('mnt-my\\x2ddisk');
    expect(systemdEscapePath('/srv/a b')).toBe('srv-a\\x20b');
  });
});

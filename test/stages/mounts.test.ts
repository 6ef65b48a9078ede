import { describe, expect, it } from 'vitest';
import { parseMountTable } from '../../src/adapters/nixos-host/nixos-host.js';
import { compareMounts } from '../../src/stages/verify/mounts.js';

const FSTAB = `# generated
/dev/disk/by-label/nixos / ext4 defaults 0 1
nas.home.arpa:/export/media /mnt/media nfs4 nfsvers=4.2,_netdev,x-systemd.automount,noatime 0 0
/dev/sdb1 /data xfs noatime,nofail 0 2
/dev/sda2 none swap defaults 0 0
`;

describe('compareMounts', () => {
  it('ignores userspace-only options and matches nfsvers= with the kernel\'s vers=', () => {
    const live = parseMountTable('/dev/disk/by-label/nixos / ext4 rw,relatime 0 0\nnas.home.arpa:/export/media /mnt/media nfs4 rw,noatime,vers=4.2,rsize=1048576 0 0\n/dev/sdb1 /data xfs rw,noatime,attr2 0 0\n');
    expect(compareMounts(FSTAB, live)).toEqual([]);
  });

  it('reports a network mount whose remount did not apply the new options (a reboot is required)', () => {
    const live = parseMountTable('nas.home.arpa:/export/media /mnt/media nfs4 rw,vers=4.2 0 0\n/dev/sdb1 /data xfs rw,noatime 0 0\n');
    expect(compareMounts(FSTAB, live)).toEqual([{ mountPoint: '/mnt/media', declared: 'nfsvers=4.2,_netdev,x-systemd.automount,noatime', live: 'rw,vers=4.2' }]);
  });

  it('cannot check what is not mounted (an automount not triggered yet)', () => {
    expect(compareMounts(FSTAB, parseMountTable('systemd-1 /mnt/media autofs rw,fd=50 0 0\n'))).toEqual([]);
  });

  it('decodes escaped spaces in the kernel\'s mount table', () => {
    expect(parseMountTable('/dev/sdc1 /mnt/my\\040disk ext4 rw 0 0\n')[0]!.mountPoint).toBe('/mnt/my disk');
  });
});

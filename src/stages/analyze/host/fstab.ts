// /etc/fstab comparison, as switch-to-configuration does it: by mount point, options-only
// changes remount (reload), a device or type change restarts the mount, swap is separate.
import type { MountChange } from '../../../model/host-change.js';

export interface FstabEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string;
}

const NETWORK_FS = /^(nfs|nfs4|cifs|smb3|smbfs|sshfs|fuse\.sshfs|glusterfs|ceph|fuse\.ceph|davfs|9p|fuse\.rclone|fuse\.mergerfs)$/;

export function parseFstab(text: string): FstabEntry[] {
  const entries: FstabEntry[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [device, mountPoint, fsType, options] = trimmed.split(/\s+/);
    if (!device || !mountPoint || !fsType) continue;
    entries.push({ device: unescapeOctal(device), mountPoint: unescapeOctal(mountPoint), fsType, options: options ?? 'defaults' });
  }
  return entries;
}

export function diffFstab(before: string | null, after: string | null): MountChange[] {
  const old = parseFstab(before ?? '');
  const next = parseFstab(after ?? '');
  const changes: MountChange[] = [];
  const isSwap = (e: FstabEntry) => e.fsType === 'swap';
  const key = (e: FstabEntry) => (isSwap(e) ? `swap:${e.device}` : e.mountPoint);
  const oldByKey = new Map(old.map((e) => [key(e), e]));
  const newByKey = new Map(next.map((e) => [key(e), e]));
  const base = (e: FstabEntry) => ({
    mountPoint: isSwap(e) ? e.device : e.mountPoint,
    unit: isSwap(e) ? `${systemdEscapePath(e.device)}.swap` : `${systemdEscapePath(e.mountPoint)}.mount`,
    fsType: e.fsType,
    network: NETWORK_FS.test(e.fsType),
    swap: isSwap(e),
  });
  for (const [k, e] of oldByKey) {
    const n = newByKey.get(k);
    if (!n) {
      changes.push({ ...base(e), change: 'removed', from: describe(e), to: null });
      continue;
    }
    if (n.device !== e.device) changes.push({ ...base(n), change: 'device', from: e.device, to: n.device });
    else if (n.fsType !== e.fsType) changes.push({ ...base(n), change: 'fsType', from: e.fsType, to: n.fsType });
    else if (n.options !== e.options) changes.push({ ...base(n), change: 'options', from: e.options, to: n.options });
  }
  for (const [k, n] of newByKey) if (!oldByKey.has(k)) changes.push({ ...base(n), change: 'added', from: null, to: describe(n) });
  return changes.sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
}

function describe(e: FstabEntry): string {
  return `${e.device} ${e.fsType} ${e.options}`;
}

/** `systemd-escape --path`: "/mnt/my-disk" -> "mnt-my\x2ddisk", "/" -> "-". */
export function systemdEscapePath(p: string): string {
  const trimmed = p.replace(/^\/+|\/+$/g, '').replace(/\/+/g, '/');
  if (trimmed === '') return '-';
  let out = '';
  for (const [i, ch] of [...trimmed].entries()) {
    if (ch === '/') out += '-';
    else if (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else out += [...Buffer.from(ch)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
  }
  return out;
}

function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

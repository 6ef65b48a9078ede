import { describe, expect, it } from 'vitest';
import { failedUnitsScript, journalScript, restartUnitScript, systemScript } from './diagnostics-scripts.js';

describe('host diagnostics scripts', () => {
  it('ask systemd and journald on a real host, bounded', () => {
    expect(failedUnitsScript('/')).toBe("systemctl list-units --state=failed --plain --no-legend --no-pager 2>/dev/null | awk '{ print $1 }'");
    expect(journalScript('/', 'grafana.service', 20)).toBe("journalctl -u 'grafana.service' -p err -n 20 --no-pager -o short-iso --since -6h 2>/dev/null || true");
    expect(journalScript('/', undefined, 7.9)).toBe('journalctl  -p err -n 7 --no-pager -o short-iso --since -6h 2>/dev/null || true');
    expect(restartUnitScript('/', 'grafana.service')).toBe(`systemctl restart 'grafana.service'; rc=$?; echo "active=$(systemctl is-active 'grafana.service' 2>/dev/null)"; exit $rc`);
  });

  it('read and change only files under a fixture host root', () => {
    expect(failedUnitsScript('/tmp/hosts/nas')).toBe("cat '/tmp/hosts/nas/run/failed-units' 2>/dev/null || true");
    expect(journalScript('/tmp/hosts/nas/', 'a.service', 5)).toBe("tail -n 5 '/tmp/hosts/nas/var/log/journal/a.service.log' 2>/dev/null || true");
    const restart = restartUnitScript('/tmp/hosts/nas', 'a.service');
    for (const line of restart.split('\n').filter((l) => l.includes('/'))) expect(line).toMatch(/'\/tmp\/hosts\/nas\//);
  });

  it('read the running and booted system from the same paths on both', () => {
    expect(systemScript('/')).toBe(`p='/run/current-system'; [ -e "$p" ] && echo "current-system=$(readlink -f "$p")"\np='/run/booted-system'; [ -e "$p" ] && echo "booted-system=$(readlink -f "$p")"\ntrue`);
    expect(systemScript('/tmp/hosts/nas')).toContain("p='/tmp/hosts/nas/run/current-system'");
  });
});

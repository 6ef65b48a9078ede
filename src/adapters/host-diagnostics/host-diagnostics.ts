// HostDiagnostics over a HostTransport: each question one script over a new connection, output
// redacted before it leaves, unit names checked before they reach a shell.
import { UNIT_NAME, type HostDiagnostics, type UnitRestart } from '../../ports/host-diagnostics.js';
import type { HostTransport } from '../../ports/host.js';
import type { Redactor } from '../../redact.js';
import { failedUnitsScript, journalScript, restartUnitScript, systemScript } from './diagnostics-scripts.js';

function checkUnit(unit: string): void {
  if (!UNIT_NAME.test(unit)) throw new Error(`not a systemd unit name: ${JSON.stringify(unit.slice(0, 80))}`);
}

export function createHostDiagnostics(transport: HostTransport, redactor: Redactor): HostDiagnostics {
  const lines = (text: string) => text.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return {
    host: transport.host,
    async failedUnits(timeoutMs) {
      const result = await transport.exec(failedUnitsScript(transport.root), { timeoutMs });
      if (result.timedOut) throw new Error(`listing failed units on ${transport.host} timed out`);
      return lines(result.stdout);
    },
    async system(timeoutMs) {
      const result = await transport.exec(systemScript(transport.root), { timeoutMs });
      const value = (key: string) => new RegExp(`^${key}=(.+)$`, 'm').exec(result.stdout)?.[1]?.trim() || null;
      return { current: value('current-system'), booted: value('booted-system') };
    },
    async journal({ unit, lines: count, timeoutMs }) {
      if (unit) checkUnit(unit);
      const result = await transport.exec(journalScript(transport.root, unit, count), { timeoutMs });
      if (result.timedOut) throw new Error(`reading the journal on ${transport.host} timed out`);
      return lines(redactor.redact(result.stdout)).slice(-count);
    },
    async restartUnit(unit, timeoutMs): Promise<UnitRestart> {
      checkUnit(unit);
      const result = await transport.exec(restartUnitScript(transport.root, unit), { timeoutMs });
      const active = /^active=active$/m.test(result.stdout);
      return { ok: result.exitCode === 0 && !result.timedOut, active, output: redactor.redact(`${result.stdout}${result.stderr}`).slice(0, 2000) };
    },
  };
}

// What switch-to-configuration would do with a changed unit, judged from its old and new unit
// files the way NixOS does (NIXOS-FACTS.md: "How units are judged").
import type { UnitAction } from '../../../model/host-change.js';
import { changedUnitKeys, unitBool, unitValue, type UnitFile } from './unit-file.js';

export interface UnitPlan {
  action: UnitAction;
  why: string;
  changedKeys: string[];
}

const RELOAD_ONLY_KEYS = new Set(['Unit.X-Reload-Triggers']);

export function planUnitChange(unit: string, before: UnitFile | null, after: UnitFile | null): UnitPlan {
  const type = unit.slice(unit.lastIndexOf('.') + 1);
  if (!before && after) return { action: type === 'target' ? 'none' : 'start', why: 'new unit', changedKeys: [] };
  if (before && !after) return { action: type === 'target' ? 'none' : 'stop', why: 'unit removed', changedKeys: [] };
  if (!before || !after) return { action: 'none', why: 'no unit file', changedKeys: [] };

  const changedKeys = changedUnitKeys(before, after);
  if (changedKeys.length === 0) return { action: 'none', why: 'only formatting changed', changedKeys };
  if (!unitBool(after, 'Unit', 'X-RestartIfChanged', true)) {
    return { action: 'skip', why: 'X-RestartIfChanged=false: the change does not take effect until a restart or reboot', changedKeys };
  }
  if (changedKeys.every((k) => RELOAD_ONLY_KEYS.has(k))) return { action: 'reload', why: 'only X-Reload-Triggers changed', changedKeys };
  if (type === 'mount' && changedKeys.every((k) => k === 'Mount.Options')) return { action: 'reload', why: 'only mount options changed (remount)', changedKeys };
  if (unitBool(after, 'Unit', 'X-ReloadIfChanged', false)) return { action: 'reload', why: 'X-ReloadIfChanged=true', changedKeys };
  if (type === 'socket' || type === 'slice') return { action: 'none', why: `${type} units are left alone by switch`, changedKeys };
  if (type === 'target') return { action: 'none', why: 'targets are not restarted', changedKeys };
  if (type !== 'service') return { action: 'restart', why: `${type} unit changed`, changedKeys };
  return unitBool(after, 'Unit', 'X-StopIfChanged', true)
    ? { action: 'restart', why: 'stopped before activation and started after', changedKeys }
    : { action: 'restart', why: 'X-StopIfChanged=false: restarted after activation', changedKeys };
}

const DATA_SERVICES = /^(postgresql|mysql|mariadb|mongodb|redis(-.*)?|influxdb2?|etcd|minio|elasticsearch|opensearch|clickhouse|cockroachdb|zookeeper|victoriametrics|prometheus)\.service$/;

/** A unit that keeps data: removing it is a data decision, not a restart. */
export function isStatefulUnit(unit: string, file: UnitFile | null): boolean {
  if (DATA_SERVICES.test(unit)) return true;
  if (!file) return false;
  return Boolean(unitValue(file, 'Service', 'StateDirectory') ?? unitValue(file, 'Service', 'DataDirectory'));
}

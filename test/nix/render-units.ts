// Unit files from the systemd options the module defines, written the way NixOS writes them
// (nixos/lib/systemd-lib.nix): list values become one line each, booleans true/false, `path`
// becomes PATH, dependencies are space-separated. [Install] is left out (NixOS links units instead).
type Value = string | number | boolean | null | Value[] | { [k: string]: Value };
export interface ServiceDef {
  description?: string;
  after?: string[];
  wants?: string[];
  requires?: string[];
  onFailure?: string[];
  path?: string[];
  environment?: Record<string, string>;
  serviceConfig?: Record<string, Value>;
}
export interface TimerDef {
  description?: string;
  timerConfig?: Record<string, Value>;
}

function lines(key: string, value: Value): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => lines(key, v));
  if (typeof value === 'boolean') return [`${key}=${value ? 'true' : 'false'}`];
  if (typeof value === 'object') throw new Error(`${key}: an attribute set is not a unit value`);
  return [`${key}=${String(value)}`];
}

function unitSection(def: { description?: string; after?: string[]; wants?: string[]; requires?: string[]; onFailure?: string[] }): string[] {
  return [
    '[Unit]',
    ...(def.description ? [`Description=${def.description}`] : []),
    ...(def.after?.length ? [`After=${def.after.join(' ')}`] : []),
    ...(def.wants?.length ? [`Wants=${def.wants.join(' ')}`] : []),
    ...(def.requires?.length ? [`Requires=${def.requires.join(' ')}`] : []),
    ...(def.onFailure?.length ? [`OnFailure=${def.onFailure.join(' ')}`] : []),
  ];
}

export function renderService(def: ServiceDef): string {
  const env = { ...(def.path ? { PATH: def.path.map((p) => `${p}/bin`).join(':') } : {}), ...def.environment };
  return [
    ...unitSection(def),
    '',
    '[Service]',
    ...Object.entries(env).filter(([, v]) => v !== '').map(([k, v]) => `Environment="${k}=${v}"`),
    ...Object.entries(def.serviceConfig ?? {}).flatMap(([k, v]) => lines(k, v)),
    '',
  ].join('\n');
}

export function renderTimer(def: TimerDef): string {
  return [...unitSection(def), '', '[Timer]', ...Object.entries(def.timerConfig ?? {}).flatMap(([k, v]) => lines(k, v)), ''].join('\n');
}

// systemd unit files as switch-to-configuration reads them: sections of `Key=Value` lines, keys
// may repeat. Enough to compare two versions of a unit key by key.
export type UnitFile = Map<string, Map<string, string[]>>;

export function parseUnitFile(text: string): UnitFile {
  const sections: UnitFile = new Map();
  let current: Map<string, string[]> | undefined;
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = pending + rawLine.trim();
    pending = '';
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1)} `; // continuation line
      continue;
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section?.[1]) {
      current = sections.get(section[1]) ?? new Map();
      sections.set(section[1], current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) continue;
    const key = line.slice(0, eq).trim();
    const values = current.get(key) ?? [];
    values.push(line.slice(eq + 1).trim());
    current.set(key, values);
  }
  return sections;
}

/** Merges drop-ins over the main unit, as systemd does (later files append to lists). */
export function mergeUnitFiles(files: UnitFile[]): UnitFile {
  const merged: UnitFile = new Map();
  for (const file of files) {
    for (const [name, keys] of file) {
      const section = merged.get(name) ?? new Map<string, string[]>();
      for (const [key, values] of keys) section.set(key, [...(section.get(key) ?? []), ...values]);
      merged.set(name, section);
    }
  }
  return merged;
}

export function unitValue(unit: UnitFile, section: string, key: string): string | undefined {
  const values = unit.get(section)?.get(key);
  return values?.[values.length - 1];
}

/** systemd's boolean parsing, with a default for absent keys. */
export function unitBool(unit: UnitFile, section: string, key: string, fallback: boolean): boolean {
  const value = unitValue(unit, section, key)?.toLowerCase();
  if (value === undefined) return fallback;
  return ['1', 'yes', 'true', 'on'].includes(value);
}

/** `Section.Key` for every key whose values differ between two versions of a unit. */
export function changedUnitKeys(before: UnitFile, after: UnitFile): string[] {
  const changed: string[] = [];
  for (const section of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(section) ?? new Map<string, string[]>();
    const b = after.get(section) ?? new Map<string, string[]>();
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if ((a.get(key) ?? []).join('\u0000') !== (b.get(key) ?? []).join('\u0000')) changed.push(`${section}.${key}`);
    }
  }
  return changed.sort();
}

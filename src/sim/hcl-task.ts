// The simulator's `/v1/jobs/parse`, task level: tasks, services and checks, templates,
// artifacts, volume mounts and constraints, into Nomad's API JSON with Nomad's defaults.
import {
  block,
  blocks,
  bool,
  compact,
  durationNs,
  labelled,
  num,
  str,
  stringMap,
  strings,
  SECOND_NS,
  type Body,
} from './hcl-values.js';

export interface NameContext {
  job: string;
  group: string;
  task?: string;
}

export function buildTask(name: string, body: Body, ctx: NameContext): Body {
  const resources = block(body, 'resources') ?? {};
  const logs = block(body, 'logs') ?? {};
  const lifecycle = block(body, 'lifecycle');
  const vault = block(body, 'vault');
  return compact({
    Name: name,
    Driver: str(body, 'driver') ?? '',
    User: str(body, 'user'),
    Config: block(body, 'config') ?? {},
    Env: stringMap(body, 'env'),
    Meta: stringMap(body, 'meta'),
    Resources: compact({
      CPU: num(resources, 'cpu') ?? 100,
      Cores: num(resources, 'cores'),
      MemoryMB: num(resources, 'memory') ?? 300,
      MemoryMaxMB: num(resources, 'memory_max'),
    }),
    Services: blocks(body, 'service').map((s) => buildService(s, { ...ctx, task: name })),
    Templates: blocks(body, 'template').map(buildTemplate),
    Artifacts: blocks(body, 'artifact').map((a) =>
      compact({ GetterSource: str(a, 'source'), RelativeDest: str(a, 'destination') ?? 'local/', GetterOptions: stringMap(a, 'options'), GetterMode: str(a, 'mode') ?? 'any' }),
    ),
    VolumeMounts: blocks(body, 'volume_mount').map((m) =>
      compact({ Volume: str(m, 'volume'), Destination: str(m, 'destination'), ReadOnly: bool(m, 'read_only') ?? false, PropagationMode: str(m, 'propagation_mode') ?? 'private' }),
    ),
    Constraints: buildConstraints(body),
    Affinities: buildAffinities(body),
    Lifecycle: lifecycle ? compact({ Hook: str(lifecycle, 'hook'), Sidecar: bool(lifecycle, 'sidecar') ?? false }) : undefined,
    Vault: vault ? compact({ Policies: strings(vault, 'policies'), ChangeMode: str(vault, 'change_mode') ?? 'restart', Env: bool(vault, 'env') ?? true }) : undefined,
    LogConfig: { MaxFiles: num(logs, 'max_files') ?? 10, MaxFileSizeMB: num(logs, 'max_file_size') ?? 10 },
    KillTimeout: durationNs(body, 'kill_timeout') ?? 5 * SECOND_NS,
    KillSignal: str(body, 'kill_signal'),
    ShutdownDelay: durationNs(body, 'shutdown_delay') ?? 0,
    Leader: bool(body, 'leader') ?? false,
  });
}

export function buildService(body: Body, ctx: NameContext): Body {
  // Nomad's default service name, interpolated at canonicalization.
  const name = (str(body, 'name') ?? (ctx.task ? '${JOB}-${TASKGROUP}-${TASK}' : '${JOB}-${TASKGROUP}'))
    .replaceAll('${JOB}', ctx.job)
    .replaceAll('${TASKGROUP}', ctx.group)
    .replaceAll('${TASK}', ctx.task ?? '');
  const connect = block(body, 'connect');
  return compact({
    Name: name,
    PortLabel: str(body, 'port'),
    Tags: strings(body, 'tags') ?? [],
    CanaryTags: strings(body, 'canary_tags'),
    AddressMode: str(body, 'address_mode') ?? 'auto',
    Provider: str(body, 'provider') ?? 'consul',
    Meta: stringMap(body, 'meta'),
    TaskName: str(body, 'task'),
    Checks: blocks(body, 'check').map((c) => buildCheck(c, name)),
    Connect: connect
      ? compact({ Native: bool(connect, 'native') ?? false, SidecarService: block(connect, 'sidecar_service') ? compact({ Port: str(block(connect, 'sidecar_service')!, 'port') }) : undefined })
      : undefined,
  });
}

function buildCheck(body: Body, service: string): Body {
  const restart = block(body, 'check_restart');
  return compact({
    Name: str(body, 'name') ?? `service: "${service}" check`,
    Type: str(body, 'type'),
    Path: str(body, 'path'),
    Protocol: str(body, 'protocol'),
    Method: str(body, 'method'),
    Command: str(body, 'command'),
    Args: strings(body, 'args'),
    PortLabel: str(body, 'port'),
    Interval: durationNs(body, 'interval'),
    Timeout: durationNs(body, 'timeout'),
    InitialStatus: str(body, 'initial_status'),
    TLSSkipVerify: bool(body, 'tls_skip_verify'),
    CheckRestart: restart ? compact({ Limit: num(restart, 'limit') ?? 0, Grace: durationNs(restart, 'grace') ?? 0, IgnoreWarnings: bool(restart, 'ignore_warnings') ?? false }) : undefined,
  });
}

function buildTemplate(body: Body): Body {
  return compact({
    EmbeddedTmpl: str(body, 'data'),
    SourcePath: str(body, 'source'),
    DestPath: str(body, 'destination'),
    ChangeMode: str(body, 'change_mode') ?? 'restart',
    ChangeSignal: str(body, 'change_signal'),
    Envvars: bool(body, 'env') ?? false,
    Perms: str(body, 'perms') ?? '0644',
    LeftDelim: str(body, 'left_delimiter') ?? '{{',
    RightDelim: str(body, 'right_delimiter') ?? '}}',
    Splay: durationNs(body, 'splay') ?? 5 * SECOND_NS,
  });
}

export function buildConstraints(body: Body): Body[] | undefined {
  const list = blocks(body, 'constraint').map((c) => {
    if (c.distinct_hosts !== undefined) return { Operand: 'distinct_hosts', RTarget: String(c.distinct_hosts) };
    if (c.distinct_property !== undefined) return compact({ Operand: 'distinct_property', LTarget: str(c, 'distinct_property'), RTarget: str(c, 'value') });
    return compact({ LTarget: str(c, 'attribute'), RTarget: str(c, 'value'), Operand: str(c, 'operator') ?? '=' });
  });
  return list.length ? list : undefined;
}

export function buildAffinities(body: Body): Body[] | undefined {
  const list = blocks(body, 'affinity').map((a) => compact({ LTarget: str(a, 'attribute'), RTarget: str(a, 'value'), Operand: str(a, 'operator') ?? '=', Weight: num(a, 'weight') ?? 50 }));
  return list.length ? list : undefined;
}

export function buildSpreads(body: Body): Body[] | undefined {
  const list = blocks(body, 'spread').map((s) =>
    compact({ Attribute: str(s, 'attribute'), Weight: num(s, 'weight') ?? 0, SpreadTarget: labelled(s, 'target').map(([value, t]) => ({ Value: value, Percent: num(t, 'percent') ?? 0 })) }),
  );
  return list.length ? list : undefined;
}

// steward.json: the one configuration file in a homelab repository, validated strictly.
// Tokens are never stored here: only the names of the environment variables that hold them.
import { z } from 'zod';
import { Label } from '../model/label.js';
import {
  DEFAULT_CRITICAL_UNITS,
  DEFAULT_DOCS_GLOBS,
  DEFAULT_HOST_PATH_PATTERNS,
  DEFAULT_JOB_GLOBS,
  DEFAULT_SECRET_GLOBS,
} from './defaults.js';

export const HOST_ROLES = ['consul-server', 'nomad-server', 'vault-server', 'nfs-server', 'workstation', 'router', 'worker'] as const;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

export const HostConfig = z
  .object({
    /** SSH destination, e.g. `root@10.0.0.11`; `local` activates on this machine. */
    target: z.string().min(1).optional(),
    roles: z.array(z.enum(HOST_ROLES)).default([]),
    /** Hosts with the same batch number may roll together; quorum members never do. */
    batch: z.number().int().nonnegative().optional(),
    /** How this host activates a change that needs a reboot; default `deploy.needsReboot`. */
    needsReboot: z.enum(['boot', 'switch']).optional(),
    /** `manual`: Steward never reboots this host (e.g. a workstation); default `deploy.reboot.mode`. */
    reboot: z.enum(['auto', 'manual']).optional(),
  })
  .strict();
export type HostConfig = z.infer<typeof HostConfig>;

export const NixConfig = z
  .object({
    /** Flake directory inside the repository. */
    dir: z.string().default('.'),
    /** Evaluation processes: `auto` is one per core. */
    evalWorkers: z.union([z.literal('auto'), z.number().int().min(1).max(64)]).default('auto'),
    /** Extra arguments passed to every `nix` call (e.g. `--builders`). */
    extraArgs: z.array(z.string()).default([]),
    /** Hosts not to analyse (e.g. installer images). */
    ignoreHosts: z.array(z.string()).default([]),
    /** Deadline of one `nix eval` process; past it the process group is killed and the hosts it evaluated fail. */
    evalTimeoutSeconds: z.number().positive().default(1800),
    /**
     * Resident memory (MiB) past which an evaluation process is stopped and its hosts restarted in
     * fresh, smaller processes, as nix-eval-jobs does; a host that passes it alone fails alone.
     */
    evalMaxMemoryMB: z.number().int().min(64).default(4096),
    /** Deadline of the one `nix build` call; past it the build is killed and the unbuilt hosts fail. */
    buildTimeoutSeconds: z.number().positive().default(14400),
  })
  .strict();

export const RuleOverride = z.union([Label, z.literal('off')]);

export const ClassifyConfig = z
  .object({
    criticalUnits: z.array(z.string()).default(DEFAULT_CRITICAL_UNITS),
    extraCriticalUnits: z.array(z.string()).default([]),
    /** Per rule id: force its label, or `off`. */
    rules: z.record(z.string(), RuleOverride).default({}),
    docs: z.array(z.string()).default(DEFAULT_DOCS_GLOBS),
    secrets: z.array(z.string()).default(DEFAULT_SECRET_GLOBS),
    hostPaths: z.array(z.string()).default(DEFAULT_HOST_PATH_PATTERNS),
    /** A nixpkgs bump reaching at least this many hosts is risky. */
    nixpkgsBumpHosts: z.number().int().min(1).default(2),
  })
  .strict();

export const NomadConfig = z
  .object({
    address: z.string().url().optional(),
    tokenEnv: envName.default('NOMAD_TOKEN'),
    namespace: z.string().optional(),
    region: z.string().optional(),
    jobs: z.array(z.string()).default(DEFAULT_JOB_GLOBS),
    /** Traefik entrypoints reachable from outside; unset: every route counts as public. */
    publicEntrypoints: z.array(z.string()).optional(),
    /** Traefik middlewares that enforce authentication (e.g. `authelia@consulcatalog`). */
    authMiddlewares: z.array(z.string()).optional(),
    /** Host volumes the Nomad clients declare; set to check jobs' references to them. */
    hostVolumes: z.array(z.string()).optional(),
    /** Nomad variable paths that exist; set to check templates' references to them. */
    variables: z.array(z.string()).optional(),
  })
  .strict();

export const ConsulConfig = z
  .object({
    address: z.string().url().optional(),
    tokenEnv: envName.default('CONSUL_HTTP_TOKEN'),
  })
  .strict();

export const LlmConfig = z
  .object({
    mode: z.enum(['off', 'auto', 'required']).default('auto'),
    command: z.string().default('claude'),
    model: z.string().optional(),
    timeoutSeconds: z.number().positive().default(180),
    maxTurns: z.number().int().positive().default(4),
    maxBudgetUsd: z.number().positive().optional(),
    /** Without a usable LLM answer, hold the change as risky (even in `auto` mode). */
    requireReview: z.boolean().default(false),
    /** Token budget of the classification prompt (diff hunks are selected to fit). */
    promptTokenBudget: z.number().int().min(2000).default(12000),
  })
  .strict();

export const GithubConfig = z
  .object({
    /** `owner/name`; defaults to GITHUB_REPOSITORY. */
    repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name').optional(),
    tokenEnv: envName.default('GITHUB_TOKEN'),
    apiUrl: z.string().url().optional(),
  })
  .strict();

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A reboot window: from `start` to `end` (an end before the start runs past midnight). */
export const RebootWindow = z
  .object({
    days: z.array(z.enum(WEEKDAYS)).min(1).default([...WEEKDAYS]),
    start: clock,
    end: clock,
  })
  .strict();
export type RebootWindow = z.infer<typeof RebootWindow>;

export const RebootConfig = z
  .object({
    /** `auto`: reboot hosts that need it, one at a time, inside a window; `manual`: report only. */
    mode: z.enum(['auto', 'manual']).default('auto'),
    /** When reboots may happen; none = at any time. Outside them, hosts wait for the next run in a window. */
    windows: z.array(RebootWindow).default([]),
    /** IANA time zone of the windows. */
    timeZone: z.string().default('UTC'),
    /** How long a host may take to come back after a reboot. */
    timeoutSeconds: z.number().positive().default(600),
  })
  .strict();

export const DeployConfig = z
  .object({
    /** The SQLite state file (records, last good commits, lock); default $XDG_STATE_HOME/steward/state.db. */
    stateFile: z.string().optional(),
    /** How long a deploy waits for another one to finish before it gives up (exit 7). */
    lockWaitSeconds: z.number().nonnegative().default(600),
    /** A lock holder whose heartbeat is older than this is dead (its machine died or it is paused); another deploy takes over. */
    lockStaleSeconds: z.number().positive().default(120),
    /** A confirmation over a NEW connection must arrive this long after the switch, else the host rolls back by itself. */
    confirmTimeoutSeconds: z.number().positive().default(30),
    /** A `switch-to-configuration` that runs longer is stopped and rolled back. */
    activationTimeoutSeconds: z.number().positive().default(600),
    /** How a change that needs a reboot is activated before the reboot: `boot` (default) or `switch`. */
    needsReboot: z.enum(['boot', 'switch']).default('boot'),
    reboot: RebootConfig.default(RebootConfig.parse({})),
    /** Between quorum members: how long the Consul/Nomad quorum may take to be whole again. */
    quorumTimeoutSeconds: z.number().positive().default(120),
    /** Deadline of one Nomad deployment (watched with blocking queries). */
    jobDeadlineSeconds: z.number().positive().default(900),
    /** Server-side wait of each blocking query. */
    blockingWaitSeconds: z.number().positive().max(600).default(60),
    /** Consul services that must be passing before anything is deployed. */
    dependencies: z.array(z.string()).default([]),
    /** The NixOS system profile on every host. */
    profile: z.string().default('/nix/var/nix/profiles/system'),
    /** Extra `ssh` options for every host (also passed to `nix copy` as NIX_SSHOPTS), e.g. ["-i", "/root/.ssh/deploy"]. */
    sshOptions: z.array(z.string()).default([]),
  })
  .strict();
export type DeployConfig = z.infer<typeof DeployConfig>;

export const ACTION_CLASSES = ['restart-alloc', 'restart-job', 'restart-unit', 'rollback-host', 'redeploy-head'] as const;
export const AUTONOMY_LEVELS = ['observe', 'propose', 'act'] as const;

/** Agent sessions (`steward check`, `on-failure`, `ask`, and `serve`'s incidents): budgets, autonomy, rate limits. */
export const AgentConfig = z
  .object({
    /** Per action class: `observe` (report only), `propose` (a person approves), `act` (within policy). */
    autonomy: z.partialRecord(z.enum(ACTION_CLASSES), z.enum(AUTONOMY_LEVELS)).default({}),
    /** Wall-clock limit of one session; its process group is killed when it passes. */
    timeoutSeconds: z.number().positive().default(600),
    maxTurns: z.number().int().positive().default(16),
    /** Tool calls one session may make (counted by `steward mcp`); further calls are refused. */
    maxToolCalls: z.number().int().positive().default(40),
    maxBudgetUsd: z.number().positive().optional(),
    /** Each tool result is cut to this many characters. */
    toolOutputChars: z.number().int().min(500).default(8000),
    /** Token budget of the context bundle in the prompt (~4 characters a token). */
    contextTokens: z.number().int().min(1000).default(6000),
    /** Per action class, at most this many executed actions in any hour. */
    actionsPerHour: z.number().int().nonnegative().default(3),
    /** Nomad jobs the agent never restarts by itself (escalated instead). */
    criticalJobs: z.array(z.string()).default([]),
    /** The branch whose committed tree holds `.steward/goals` and `.steward/knowledge`. */
    mainBranch: z.string().default('main'),
  })
  .strict();
export type AgentConfig = z.infer<typeof AgentConfig>;

/** `steward propose`: which proposers run, Renovate-style caps, and the identity of Steward's commits. */
export const ProposeConfig = z
  .object({
    /** Flake inputs to update, one proposal each: `all`, `none`, or their names. */
    flakeInputs: z.union([z.enum(['all', 'none']), z.array(z.string().min(1))]).default('all'),
    /** Group name → flake inputs updated together in one proposal (topic `flake-<group>`); the rest stay one per input. */
    flakeInputGroups: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/), z.array(z.string().min(1)).min(1)).default({}),
    /** Nomad image updates within the same major version. */
    images: z.boolean().default(true),
    /** One proposal per run from a Claude Code session toward goals/proactive.md (when llm is not off). */
    goal: z.boolean().default(true),
    /** One knowledge PR (`.steward/knowledge/<topic>.md`) from what agent sessions learned. */
    knowledge: z.boolean().default(true),
    /** Memory right-sizing of Nomad service jobs from their allocations' stats (needs a cluster). */
    memory: z.boolean().default(true),
    /** Registry host → base URL to read tags from instead (a mirror): `{ "registry-1.docker.io": "https://mirror.lan" }`. */
    registries: z.record(z.string(), z.string().url()).default({}),
    /** Keep one issue listing open, waiting and ignored proposals (Renovate's dashboard). */
    dashboard: z.boolean().default(false),
    /** Open proposal PRs at most; no new one past it. */
    maxOpen: z.number().int().nonnegative().default(5),
    /** New proposal PRs per UTC day at most. */
    maxNewPerDay: z.number().int().nonnegative().default(2),
    /** Author and committer of proposal commits; a commit by anyone else on the branch means a person took it over. */
    authorName: z.string().min(1).default('Steward'),
    authorEmail: z.string().min(3).default('steward@users.noreply.github.com'),
  })
  .strict();
export type ProposeConfig = z.infer<typeof ProposeConfig>;

/** A check that must pass before and after a deploy: a command (locally or on a host) or an HTTP probe. */
export const Invariant = z
  .object({
    name: z.string().min(1),
    /** argv of a command; exit code 0 passes. */
    command: z.array(z.string()).min(1).optional(),
    /** Where the command runs: a host name from `hosts`, or `local` (default). */
    on: z.string().default('local'),
    /** URL of an HTTP probe. */
    http: z.string().url().optional(),
    expectStatus: z.number().int().min(100).max(599).default(200),
    timeoutSeconds: z.number().positive().default(10),
  })
  .strict()
  .refine((i) => (i.command === undefined) !== (i.http === undefined), 'an invariant needs exactly one of `command` and `http`');
export type Invariant = z.infer<typeof Invariant>;

/** How `steward serve` authenticates Alertmanager (which does not sign): a bearer token or basic credentials. */
export const AlertmanagerAuth = z.discriminatedUnion('type', [
  z.object({ type: z.literal('bearer'), tokenEnv: envName }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), passwordEnv: envName }).strict(),
]);
export type AlertmanagerAuth = z.infer<typeof AlertmanagerAuth>;

export const ServeConfig = z
  .object({
    /** `host:port` of the listener; loopback by default (put a reverse proxy with TLS in front for anything else). */
    listen: z.string().regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port').default('127.0.0.1:9447'),
    /** Larger request bodies are refused with 413. */
    maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    /** A request whose body has not arrived by then is answered 408 and closed. */
    requestTimeoutSeconds: z.number().positive().max(300).default(10),
    /** POST /alertmanager; absent: the route answers 404. */
    alertmanager: z.object({ auth: AlertmanagerAuth }).strict().optional(),
    /** POST /github; absent: the route answers 404. */
    github: z
      .object({
        /** The environment variable (or systemd credential) holding the webhook secret. */
        webhookSecretEnv: envName.default('STEWARD_GITHUB_WEBHOOK_SECRET'),
        /** A push to this branch queues a deploy. */
        mainBranch: z.string().min(1).default('main'),
      })
      .strict()
      .optional(),
    /** A worker's claim on a job; renewed while it runs, so a killed worker's job is taken over after it. */
    leaseSeconds: z.number().int().min(5).max(3600).default(60),
    /** A job (session, review, deploy) running longer is stopped and recorded as failed. */
    jobTimeoutSeconds: z.number().positive().default(7200),
  })
  .strict();
export type ServeConfig = z.infer<typeof ServeConfig>;

export const NotifyConfig = z
  .object({
    /** A generic webhook: a JSON body signed with HMAC-SHA256 (`X-Steward-Signature-256: sha256=<hex>`). */
    webhook: z.object({ url: z.string().url(), secretEnv: envName.optional() }).strict().optional(),
    /** ntfy: POST to the topic URL with Title, Priority and Tags headers. */
    ntfy: z.object({ url: z.string().url(), tokenEnv: envName.optional() }).strict().optional(),
    /** One GitHub issue per incident (`github.repository`, `github.tokenEnv`): edited in place, closed when resolved. */
    githubIssues: z.object({ labels: z.array(z.string().min(1)).default(['steward']) }).strict().optional(),
    /** Deadline of one notification request. */
    timeoutSeconds: z.number().positive().max(120).default(10),
  })
  .strict();
export type NotifyConfig = z.infer<typeof NotifyConfig>;

export const StewardConfig = z
  .object({
    $schema: z.string().optional(),
    hosts: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'host names are Nix attribute names'), HostConfig).default({}),
    nix: NixConfig.default(NixConfig.parse({})),
    classify: ClassifyConfig.default(ClassifyConfig.parse({})),
    nomad: NomadConfig.default(NomadConfig.parse({})),
    consul: ConsulConfig.default(ConsulConfig.parse({})),
    llm: LlmConfig.default(LlmConfig.parse({})),
    github: GithubConfig.default(GithubConfig.parse({})),
    deploy: DeployConfig.default(DeployConfig.parse({})),
    invariants: z.array(Invariant).default([]),
    serve: ServeConfig.default(ServeConfig.parse({})),
    notify: NotifyConfig.default(NotifyConfig.parse({})),
    agent: AgentConfig.default(AgentConfig.parse({})),
    propose: ProposeConfig.default(ProposeConfig.parse({})),
  })
  .strict();
export type StewardConfig = z.infer<typeof StewardConfig>;
export type GithubConfig = z.infer<typeof GithubConfig>;
export type LlmConfig = z.infer<typeof LlmConfig>;

export function defaultConfig(): StewardConfig {
  return StewardConfig.parse({});
}

// The tools of `steward mcp`: the only tools an agent session has. Read-only tools answer from the
// hosts, Nomad, Consul, the records and the repository; action tools go through policy and the executor.
export const MCP_SERVER_NAME = 'steward';

export const READ_TOOLS = ['host_status', 'journal', 'nomad_job_status', 'nomad_alloc_logs', 'consul_health', 'deploy_history', 'knowledge_search', 'git_log', 'git_show'] as const;
export const ACTION_TOOLS = ['restart_unit', 'restart_alloc', 'restart_job', 'rollback_host', 'redeploy_head'] as const;

export type ToolName = (typeof READ_TOOLS)[number] | (typeof ACTION_TOOLS)[number];

/** As Claude Code names them for the model and in its permission rules. */
export function allowedToolRules(): string[] {
  return [...READ_TOOLS, ...ACTION_TOOLS].map((t) => `mcp__${MCP_SERVER_NAME}__${t}`);
}

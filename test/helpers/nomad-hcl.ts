// Test helper: parse and normalise job files given inline as HCL text (the real parser, no fakes).
import { parseJobSources, type ParsedJobs } from '../../src/stages/analyze/jobs/load-jobs.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

export async function jobsFromHcl(files: Record<string, string>): Promise<ParsedJobs> {
  return parseJobSources(Object.entries(files).map(([path, content]) => ({ path, content })), hclJobParser);
}

/** A minimal service job with one group and one docker task, with overridable parts. */
export function serviceJob(opts: {
  id: string;
  type?: string;
  image?: string;
  group?: string;
  top?: string;
  groupBody?: string;
  taskBody?: string;
  configBody?: string;
}): string {
  const group = opts.group ?? opts.id;
  return `job "${opts.id}" {
  datacenters = ["home"]
  type = "${opts.type ?? 'service'}"
${opts.top ?? ''}
  group "${group}" {
${opts.groupBody ?? ''}
    task "${group}" {
      driver = "docker"
      config {
        image = "${opts.image ?? 'traefik/whoami:v1.10.3'}"
${opts.configBody ?? ''}
      }
${opts.taskBody ?? ''}
    }
  }
}
`;
}

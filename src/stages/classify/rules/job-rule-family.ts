// Nomad job rules as members of the rules engine: each job reason keeps its own id
// (`job.image-major-stateful`, `job.static.static-port-conflict`, ...) for overrides.
import { jobRules, validationRules } from '../job-rules.js';
import type { Rule } from '../rule.js';

export const jobRuleFamily: Rule[] = [
  {
    id: 'job',
    label: 'clean',
    summary: 'Nomad job changes (added, removed, images with semver, ports, volumes, routes, update, count); ids `job.*`.',
    evaluate: ({ changeSet }) => jobRules(changeSet.jobs).map((r) => ({ ruleId: r.ruleId, label: r.label, message: r.message, evidence: r.evidence })),
  },
  {
    id: 'job.static',
    label: 'risky',
    summary: 'Static validation errors of job files (parse errors, duplicate ids, port or router conflicts, undeclared volumes or variables): nothing deploys.',
    evaluate: ({ changeSet }) => validationRules(changeSet.jobFindings).map((r) => ({ ruleId: r.ruleId, label: r.label, message: r.message, evidence: r.evidence })),
  },
];

// Every rule, in report order (most specific first within each group).
import type { Rule } from '../rule.js';
import { bootRules } from './boot-rules.js';
import { diffRules } from './diff-rules.js';
import { etcRules } from './etc-rules.js';
import { hostRules, packageNoteRules } from './host-rules.js';
import { jobRuleFamily } from './job-rule-family.js';
import { mountRules } from './mount-rules.js';
import { repoRules } from './repo-rules.js';
import { unitRules } from './unit-rules.js';

export const ALL_RULES: Rule[] = [...hostRules, ...repoRules, ...bootRules, ...unitRules, ...mountRules, ...etcRules, ...diffRules, ...jobRuleFamily, ...packageNoteRules];

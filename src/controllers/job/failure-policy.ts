/** spec.podFailurePolicy: which rule a failed pod matches (matchPodFailurePolicy) and what it means for the Job. */
import type { Job } from '../../api/kinds/job.js';
import type { Pod } from '../../api/kinds/pod.js';

/** The outcome for one failed pod: count it (default), ignore it, or fail the Job with a message. */
export type PolicyOutcome = { action: 'Count' } | { action: 'Ignore' } | { action: 'FailJob'; message: string };

type Rule = NonNullable<NonNullable<NonNullable<Job['spec']>['podFailurePolicy']>['rules']>[number];

function exitCodeMatch(rule: Rule, p: Pod): { name: string; code: number } | undefined {
  const req = rule.onExitCodes;
  if (!req) return undefined;
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  for (const c of statuses) {
    if (req.containerName && c.name !== req.containerName) continue;
    const code = (c.state as { terminated?: { exitCode?: number } } | undefined)?.terminated?.exitCode;
    if (code === undefined || code === 0) continue; // succeeded containers never match
    const listed = req.values.includes(code);
    if (req.operator === 'In' ? listed : !listed) return { name: c.name, code };
  }
  return undefined;
}

function conditionMatch(rule: Rule, p: Pod): string | undefined {
  for (const pat of rule.onPodConditions ?? []) {
    if (p.status?.conditions?.some((c) => c.type === pat.type && c.status === (pat.status || 'True'))) return pat.type;
  }
  return undefined;
}

/** The first rule a failed pod matches, as the Job controller applies it; Count when none does. */
export function applyPodFailurePolicy(job: Job, p: Pod): PolicyOutcome {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const exit = exitCodeMatch(rule, p);
    const cond = exit ? undefined : conditionMatch(rule, p);
    if (!exit && !cond) continue;
    const where = `${p.metadata.namespace}/${p.metadata.name}`;
    if (rule.action === 'Ignore') return { action: 'Ignore' };
    if (rule.action === 'FailJob') {
      const message = exit ? `Container ${exit.name} for pod ${where} failed with exit code ${exit.code} matching FailJob rule at index ${i}`
        : `Pod ${where} has condition ${cond} matching FailJob rule at index ${i}`;
      return { action: 'FailJob', message };
    }
    return { action: 'Count' };
  }
  return { action: 'Count' };
}

/**
 * The ValidatingAdmissionPolicy admission plugin as a write hook (`validate`, before the
 * validating webhooks): for every binding whose policy exists, when the request matches the
 * policy's matchConstraints and the binding's matchResources, the policy is evaluated and its
 * failures enforced by the binding's validationActions (Deny: the request fails with the
 * validation's reason; Warn: a warning; Audit: nothing, knet keeps no audit log). Policies are
 * compiled once per generation, in a cache owned by the plugin instance.
 */
import { StatusError } from '../../api/errors.js';
import type { KObject } from '../../api/meta.js';
import { storeKey } from '../../api/registry.js';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../../api/kinds/validatingadmissionpolicy-schema.js';
import { validatingAdmissionPolicyBindingDef, validatingAdmissionPolicyDef } from '../../api/kinds/validatingadmissionpolicy.js';
import type { Store } from '../../store/types.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import type { WriteHooks } from '../storage/write.js';
import { compilePolicy, type CompiledPolicy } from './compile.js';
import { evaluatePolicy, type PolicyFailure } from './evaluate.js';
import { policyExempt, resourcesMatch } from './match.js';

const CODES: Record<string, number> = { Invalid: 422, Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413 };

/**
 * The refusal of a request, as k8s.io/apiserver's policy/validating dispatcher builds it:
 * admission.NewForbidden with the validation's reason and code and the message as a field-less cause.
 */
export function deniedError(a: AdmissionAttributes, policy: string, binding: string, f: PolicyFailure): StatusError {
  const message = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: ${f.message}`;
  const resource = a.def.plural + (a.def.group ? '.' + a.def.group : '');
  const name = a.name || a.object?.metadata.generateName || '';
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: f.reason, code: CODES[f.reason] ?? 422,
    message: `${resource} "${name}" is forbidden: ${message}`,
    details: { name, ...(a.def.group ? { group: a.def.group } : {}), kind: a.def.plural, causes: [{ message }] },
  });
}

/** The ValidatingAdmissionPolicy plugin of one cluster. */
export function policyAdmission(store: Store, log?: (line: string) => void): WriteHooks {
  const cache = new Map<string, CompiledPolicy>();
  const compiled = (p: ValidatingAdmissionPolicy): CompiledPolicy => {
    const key = p.metadata.uid ?? p.metadata.name ?? '';
    let c = cache.get(key);
    if (!c || c.generation !== (p.metadata.generation ?? 0)) { c = compilePolicy(p); cache.set(key, c); }
    return c;
  };
  return {
    validate(a: AdmissionAttributes) {
      if (policyExempt(a)) return undefined;
      const bindings = store.list(storeKey(validatingAdmissionPolicyBindingDef, undefined)).items as ValidatingAdmissionPolicyBinding[];
      if (bindings.length === 0) return undefined;
      const policies = new Map((store.list(storeKey(validatingAdmissionPolicyDef, undefined)).items as ValidatingAdmissionPolicy[]).map((p) => [p.metadata.name ?? '', p]));
      for (const uid of cache.keys()) if (![...policies.values()].some((p) => p.metadata.uid === uid)) cache.delete(uid);
      const nsObject = a.namespace ? store.get(`/core/namespaces//${a.namespace}`) : undefined;
      const labelsOf = (n: string) => { const ns = store.get(`/core/namespaces//${n}`); return ns ? ns.metadata.labels ?? {} : undefined; };
      const sorted = [...bindings].sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''));
      for (const b of sorted) {
        const policy = policies.get(b.spec?.policyName ?? '');
        if (!policy) continue;
        if (!resourcesMatch(policy.spec?.matchConstraints, a, labelsOf, true)) continue;
        if (!resourcesMatch(b.spec?.matchResources, a, labelsOf, false)) continue;
        const result = evaluatePolicy(compiled(policy), a, nsObject as KObject | undefined);
        if ('skipped' in result) continue;
        try { enforce(a, policy.metadata.name ?? '', b, result.failures, log); } catch (e) { return Promise.reject(e as Error); }
      }
      return undefined;
    },
  };
}

function enforce(a: AdmissionAttributes, policy: string, b: ValidatingAdmissionPolicyBinding, failures: PolicyFailure[], log?: (line: string) => void): void {
  const actions = b.spec?.validationActions ?? [];
  const binding = b.metadata.name ?? '';
  for (const f of failures) {
    if (actions.includes('Warn')) a.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${policy}' with binding '${binding}': ${f.message}`);
    if (actions.includes('Audit')) log?.(`audit: ValidatingAdmissionPolicy '${policy}' with binding '${binding}': ${f.message}`);
  }
  const first = failures[0];
  if (first && actions.includes('Deny')) throw deniedError(a, policy, binding, first);
}

/**
 * Admission webhooks as write hooks: the MutatingAdmissionWebhook plugin (`mutate`, after the
 * built-in mutating plugins) and the ValidatingAdmissionWebhook plugin (`validate`, after schema
 * validation and the built-in validating plugins). Configurations are read from the store on
 * every request (a binary search for none), their matchConditions compiled once per generation; calls are asynchronous, at most `maxConcurrentCalls`
 * at once per cluster, each bounded by its timeoutSeconds.
 */
import { storeKey } from '../../api/registry.js';
import { mutatingWebhookConfigurationDef, validatingWebhookConfigurationDef } from '../../api/kinds/webhook.js';
import type { WebhookConfiguration } from '../../api/kinds/webhook-schema.js';
import type { Store } from '../../store/types.js';
import type { NetStack } from '../../net/types.js';
import type { WriteHooks } from '../storage/write.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import { dispatchMutating, dispatchValidating, type DispatchContext, type Hook } from './dispatch.js';
import { exempt } from './match.js';
import { ConditionsCache } from './conditions.js';

/** Options of the webhook plugins. */
export interface WebhookAdmissionOptions {
  /** The stack the API server dials Services from (the control-plane node's), once the network is up. */
  stack(): NetStack | undefined;
  log?(line: string): void;
  /** Calls in flight at once; more wait for a slot within their own timeout (default 64). */
  maxConcurrentCalls?: number;
}

/** A counting semaphore: runs at most `n` functions at once, the rest in arrival order. */
export function slots(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let busy = 0;
  const waiting: (() => void)[] = [];
  return async <T>(f: () => Promise<T>): Promise<T> => {
    if (busy >= n) await new Promise<void>((r) => waiting.push(r));
    busy++;
    try { return await f(); } finally { busy--; waiting.shift()?.(); }
  };
}

/** The webhooks of every configuration of a kind, ordered by configuration name then position (as upstream sorts them). */
function hooksOf(store: Store, def: typeof validatingWebhookConfigurationDef, cache: ConditionsCache): Hook[] {
  const { items } = store.list(storeKey(def, undefined));
  const live = new Set<string>();
  const hooks = (items as WebhookConfiguration[])
    .sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''))
    .flatMap((c) => {
      const generation = `${c.metadata.uid ?? c.metadata.name}@${c.metadata.resourceVersion ?? ''}`;
      live.add(generation);
      const webhooks = c.webhooks ?? [];
      const conditions = cache.get(generation, webhooks.map((w) => w.matchConditions));
      return webhooks.map((webhook, i) => ({ configuration: c.metadata.name ?? '', webhook, conditions: conditions[i] }));
    });
  cache.prune(live);
  return hooks;
}

/** The MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins of one cluster. */
export function webhookAdmission(store: Store, opts: WebhookAdmissionOptions): WriteHooks {
  const ctx: DispatchContext = {
    network: {
      stack: opts.stack,
      service: (ns, name) => store.get(`/core/services/${ns}/${name}`),
    },
    namespaceLabels: (name) => {
      const ns = store.get(`/core/namespaces//${name}`);
      return ns ? ns.metadata.labels ?? {} : undefined;
    },
    queue: slots(opts.maxConcurrentCalls ?? 64),
    log: opts.log,
  };
  const mutatingConditions = new ConditionsCache();
  const validatingConditions = new ConditionsCache();
  return {
    mutate(a: AdmissionAttributes) {
      if (exempt(a)) return undefined;
      const hooks = hooksOf(store, mutatingWebhookConfigurationDef, mutatingConditions);
      return hooks.length ? dispatchMutating(hooks, a, ctx) : undefined;
    },
    validate(a: AdmissionAttributes) {
      if (exempt(a)) return undefined;
      const hooks = hooksOf(store, validatingWebhookConfigurationDef, validatingConditions);
      return hooks.length ? dispatchValidating(hooks, a, ctx) : undefined;
    },
  };
}

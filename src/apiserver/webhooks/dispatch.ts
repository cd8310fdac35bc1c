/**
 * The MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins' dispatchers: mutating
 * webhooks run one after another (JSON patches applied in turn; `IfNeeded` webhooks called once
 * more when a later one changed the object), validating webhooks run in parallel and the first
 * refusal (in configuration order) wins. Failures follow failurePolicy with upstream's messages:
 * `Internal error occurred: failed calling webhook "<name>": failed to call webhook: …`, and a
 * refusal becomes `admission webhook "<name>" denied the request: <message>`.
 */
import { errors, StatusError, type Status } from '../../api/errors.js';
import type { Webhook } from '../../api/kinds/webhook-schema.js';
import type { KObject } from '../../api/meta.js';
import { jsonPatch } from '../patch/json.js';
import { PatchError } from '../patch/errors.js';
import type { AdmissionAttributes } from '../storage/attributes.js';
import { CallError, post, type WebhookNetwork } from './call.js';
import { CelBudget } from '../../apiextensions/cel-cost.js';
import { evaluateConditions, type CompiledCondition } from './conditions.js';
import { webhookApplies, type NamespaceLabels } from './match.js';
import { buildReview, reviewVersion, verifyResponse, type ReviewResponse, type ReviewStatus } from './review.js';

/** One webhook of a configuration, with its compiled matchConditions. */
export interface Hook { configuration: string; webhook: Webhook; conditions?: CompiledCondition[] }

/** What the dispatchers need from the cluster. */
export interface DispatchContext {
  network: WebhookNetwork;
  namespaceLabels: NamespaceLabels;
  /** Runs a call when a slot is free (bounded concurrency). */
  queue<T>(f: () => Promise<T>): Promise<T>;
  log?(line: string): void;
}

/** webhookutil.ErrCallingWebhook: subject to failurePolicy. */
class CallingWebhookError extends Error {}

/** webhookerrors.ToStatusErr: a refusal as the client sees it. */
export function deniedStatus(name: string, result: ReviewStatus | undefined): StatusError {
  const r = result ?? {};
  const denied = `admission webhook "${name}" denied the request`;
  const message = r.message ? `${denied}: ${r.message}` : r.reason ? `${denied}: ${r.reason}` : `${denied} without explanation`;
  const code = typeof r.code === 'number' && r.code >= 400 ? r.code : 400;
  const st: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
  if (r.reason) st.reason = r.reason;
  if (r.details && typeof r.details === 'object') st.details = r.details as Status['details'];
  return new StatusError(st);
}

function noSideEffects(h: Webhook): boolean {
  return h.sideEffects === 'None' || h.sideEffects === 'NoneOnDryRun';
}

/** Calls one webhook; throws CallingWebhookError for transport and contract failures, a StatusError for the rest. */
async function callHook(h: Webhook, a: AdmissionAttributes, object: KObject | undefined, mutating: boolean, ctx: DispatchContext): Promise<ReviewResponse> {
  if (a.dryRun && !noSideEffects(h)) throw errors.badRequest(`admission webhook "${h.name}" does not support dry run`);
  const version = reviewVersion(h.admissionReviewVersions);
  if (!version) throw new CallingWebhookError(`failed calling webhook "${h.name}": webhook does not accept known AdmissionReview versions`);
  const { uid, body } = buildReview(a, version, object);
  let answer: unknown;
  try {
    answer = await post(h.clientConfig, Buffer.from(JSON.stringify(body)), (h.timeoutSeconds ?? 10) * 1000, ctx.network, ctx.queue);
  } catch (e) {
    if (e instanceof CallError) throw new CallingWebhookError(`failed calling webhook "${h.name}": failed to call webhook: ${e.message}`);
    throw e;
  }
  try {
    return verifyResponse(uid, version, mutating, answer);
  } catch (e) {
    throw new CallingWebhookError(`failed calling webhook "${h.name}": received invalid webhook response: ${(e as Error).message}`);
  }
}

/** Whether to call: rules and selectors, then matchConditions (an evaluation error follows failurePolicy). */
function shouldCall(hook: Hook, a: AdmissionAttributes, object: KObject | undefined, ctx: DispatchContext, budget: CelBudget): boolean {
  const h = hook.webhook;
  const at = object === a.object ? a : { ...a, object };
  if (!webhookApplies(h, at, ctx.namespaceLabels)) return false;
  const c = evaluateConditions(hook.conditions, a, object, budget);
  if ('error' in c) {
    if (h.failurePolicy === 'Ignore') return false;
    throw errors.forbidden(`${a.def.plural}${a.def.group ? '.' + a.def.group : ''} "${a.name}" is forbidden: ${c.error}`);
  }
  return c.match;
}

/** Runs a call under failurePolicy: undefined when a failure is ignored. */
async function guarded(h: Webhook, ctx: DispatchContext, call: () => Promise<ReviewResponse>): Promise<ReviewResponse | undefined> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof CallingWebhookError)) throw e;
    if (h.failurePolicy === 'Ignore') { ctx.log?.(`Failed calling webhook, failing open ${h.name}: ${e.message}`); return undefined; }
    ctx.log?.(`Failed calling webhook, failing closed ${h.name}: ${e.message}`);
    throw errors.internal(e.message);
  }
}

/** The mutating chain: resolves with the changed object, or undefined when nothing changed. */
export async function dispatchMutating(hooks: Hook[], a: AdmissionAttributes, ctx: DispatchContext): Promise<KObject | undefined> {
  let object = a.object;
  let changedAt = -1;
  const called: number[] = [];
  const budget = new CelBudget();
  const run = async (i: number): Promise<void> => {
    const h = hooks[i]!.webhook;
    if (!shouldCall(hooks[i]!, a, object, ctx, budget)) return;
    if (called.length === 0) a.prepare?.();
    called.push(i);
    const r = await guarded(h, ctx, () => callHook(h, a, object, true, ctx));
    if (!r) return;
    a.warnings.push(...r.warnings);
    if (!r.allowed) throw deniedStatus(h.name, r.status);
    if (!r.patch?.length || !object || a.operation === 'CONNECT') return;
    try {
      object = jsonPatch(object, r.patch) as KObject;
    } catch (e) {
      throw errors.internal(e instanceof PatchError ? e.message : String(e));
    }
    changedAt = i;
  };
  for (let i = 0; i < hooks.length; i++) await run(i);
  // Reinvocation: an IfNeeded webhook runs once more when a webhook after it changed the object.
  const again = called.filter((i) => i < changedAt && hooks[i]!.webhook.reinvocationPolicy === 'IfNeeded');
  for (const i of again) await run(i);
  return changedAt >= 0 ? object : undefined;
}

/** The validating webhooks, in parallel; the first refusal in configuration order is returned. */
export async function dispatchValidating(hooks: Hook[], a: AdmissionAttributes, ctx: DispatchContext): Promise<void> {
  const budget = new CelBudget();
  const due = hooks.filter((h) => shouldCall(h, a, a.object, ctx, budget));
  if (due.length === 0) return;
  const outcomes = await Promise.all(due.map(async ({ webhook: h }) => {
    try {
      const r = await guarded(h, ctx, () => callHook(h, a, a.object, false, ctx));
      if (!r) return undefined;
      a.warnings.push(...r.warnings);
      return r.allowed ? undefined : deniedStatus(h.name, r.status);
    } catch (e) {
      return e as Error;
    }
  }));
  const first = outcomes.find((e) => e !== undefined);
  if (first) throw first;
}

/** Every served kind, in discovery order (core group first). */
import type { ResourceDef } from '../resource.js';
import { configMapDef } from './configmap.js';
import { endpointsDef } from './endpoints.js';
import { eventDef } from './event.js';
import { namespaceDef } from './namespace.js';
import { nodeDef } from './node.js';
import { podDef } from './pod.js';
import { secretDef } from './secret.js';
import { serviceAccountDef } from './serviceaccount.js';
import { serviceDef } from './service.js';
import { deploymentDef } from './deployment.js';
import { replicaSetDef } from './replicaset.js';
import { endpointSliceDef } from './endpointslice.js';
import { ingressDef } from './ingress.js';
import { ingressClassDef } from './ingressclass.js';
import { networkPolicyDef } from './networkpolicy.js';
import { limitRangeDef, resourceQuotaDef } from './quota.js';
import { mutatingWebhookConfigurationDef, validatingWebhookConfigurationDef } from './webhook.js';

/** The definitions served by the API server. */
export const allKinds: ResourceDef[] = [
  configMapDef, endpointsDef, eventDef, limitRangeDef, namespaceDef, nodeDef, podDef, resourceQuotaDef, secretDef, serviceAccountDef, serviceDef,
  deploymentDef, replicaSetDef,
  endpointSliceDef,
  ingressClassDef, ingressDef, networkPolicyDef,
  mutatingWebhookConfigurationDef, validatingWebhookConfigurationDef,
] as unknown as ResourceDef[];

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
import { statefulSetDef } from './statefulset.js';
import { daemonSetDef } from './daemonset.js';
import { controllerRevisionDef } from './controllerrevision.js';
import { endpointSliceDef } from './endpointslice.js';
import { ingressDef } from './ingress.js';
import { ingressClassDef } from './ingressclass.js';
import { networkPolicyDef } from './networkpolicy.js';
import { jobDef } from './job.js';
import { cronJobDef } from './cronjob.js';
import { limitRangeDef, resourceQuotaDef } from './quota.js';
import { clusterRoleBindingDef, clusterRoleDef, roleBindingDef, roleDef } from './rbac.js';
import { reviewKinds } from './authorization.js';
import { persistentVolumeClaimDef } from './pvc.js';
import { persistentVolumeDef } from './pv.js';
import { storageClassDef } from './storageclass.js';
import { podDisruptionBudgetDef } from './pdb.js';
import { horizontalPodAutoscalerDef } from './hpa.js';
import { crdDef } from './crd.js';
import { horizontalPodAutoscalerV1Def } from './hpa-v1.js';
import { mutatingWebhookConfigurationDef, validatingWebhookConfigurationDef } from './webhook.js';
import { validatingAdmissionPolicyBindingDef, validatingAdmissionPolicyDef } from './validatingadmissionpolicy.js';

/** The definitions served by the API server. */
export const allKinds: ResourceDef[] = [
  configMapDef, endpointsDef, eventDef, limitRangeDef, namespaceDef, nodeDef, podDef, resourceQuotaDef, secretDef, serviceAccountDef, serviceDef,
  deploymentDef, replicaSetDef,
  statefulSetDef, daemonSetDef, controllerRevisionDef,
  cronJobDef, jobDef,
  endpointSliceDef,
  ingressClassDef, ingressDef, networkPolicyDef,
  clusterRoleBindingDef, clusterRoleDef, roleBindingDef, roleDef,
  ...reviewKinds,
  persistentVolumeClaimDef, persistentVolumeDef, storageClassDef,
  podDisruptionBudgetDef, horizontalPodAutoscalerDef, horizontalPodAutoscalerV1Def,
  crdDef,
  mutatingWebhookConfigurationDef, validatingWebhookConfigurationDef,
  validatingAdmissionPolicyDef, validatingAdmissionPolicyBindingDef,
] as unknown as ResourceDef[];

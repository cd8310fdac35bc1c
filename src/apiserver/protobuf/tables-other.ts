/**
 * Field tables for meta/v1, apps/v1, networking.k8s.io/v1, batch/v1 and authorization.k8s.io/v1
 * messages, in the notation described in table.ts.
 */
import type { Tables } from './table.js';

/** Messages of k8s.io/apimachinery meta/v1 shared by every kind. */
export const metaTables: Tables = {
  ObjectMeta: 'name=1 generateName=2 namespace=3 selfLink=4 uid=5 resourceVersion=6 generation=7:int64' +
    ' creationTimestamp=8:Time deletionTimestamp=9:Time deletionGracePeriodSeconds=10:*int64 labels=11:map' +
    ' annotations=12:map ownerReferences=13:[]OwnerReference finalizers=14:[]string' +
    ' managedFields=17:[]ManagedFieldsEntry',
  OwnerReference: 'kind=1:!string name=3:!string uid=4:!string apiVersion=5:!string controller=6:*bool' +
    ' blockOwnerDeletion=7:*bool',
  ManagedFieldsEntry: 'manager=1 operation=2 apiVersion=3 time=4:Time fieldsType=6 fieldsV1=7:FieldsV1 subresource=8',
  Condition: 'type=1:!string status=2:!string observedGeneration=3:int64 lastTransitionTime=4:Time' +
    ' reason=5:!string message=6:!string',
  LabelSelector: 'matchLabels=1:map matchExpressions=2:[]LabelSelectorRequirement',
  LabelSelectorRequirement: 'key=1:!string operator=2:!string values=3:[]string',
  FieldSelectorRequirement: 'key=1:!string operator=2:!string values=3:[]string',
};

/** Messages of apps/v1. */
export const appsTables: Tables = {
  Deployment: 'metadata=1:ObjectMeta spec=2:DeploymentSpec status=3:DeploymentStatus',
  ReplicaSet: 'metadata=1:ObjectMeta spec=2:ReplicaSetSpec status=3:ReplicaSetStatus',
  DeploymentSpec: 'replicas=1:*int32 selector=2:LabelSelector template=3:PodTemplateSpec strategy=4:DeploymentStrategy' +
    ' minReadySeconds=5:int32 revisionHistoryLimit=6:*int32 paused=7:bool progressDeadlineSeconds=9:*int32',
  DeploymentStatus: 'observedGeneration=1:int64 replicas=2:int32 updatedReplicas=3:int32 availableReplicas=4:int32' +
    ' unavailableReplicas=5:int32 conditions=6:[]DeploymentCondition readyReplicas=7:int32' +
    ' collisionCount=8:*int32 terminatingReplicas=9:*int32',
  ReplicaSetSpec: 'replicas=1:*int32 selector=2:LabelSelector template=3:PodTemplateSpec minReadySeconds=4:int32',
  ReplicaSetStatus: 'replicas=1:!int32 fullyLabeledReplicas=2:int32 observedGeneration=3:int64 readyReplicas=4:int32' +
    ' availableReplicas=5:int32 conditions=6:[]ReplicaSetCondition terminatingReplicas=7:*int32',
  DeploymentStrategy: 'type=1 rollingUpdate=2:RollingUpdateDeployment',
  DeploymentCondition: 'type=1:!string status=2:!string reason=4 message=5 lastUpdateTime=6:Time lastTransitionTime=7:Time',
  ReplicaSetCondition: 'type=1:!string status=2:!string lastTransitionTime=3:Time reason=4 message=5',
  RollingUpdateDeployment: 'maxUnavailable=1:*IntOrString maxSurge=2:*IntOrString',
};

/** Messages of networking.k8s.io/v1. */
export const networkingTables: Tables = {
  Ingress: 'metadata=1:ObjectMeta spec=2:IngressSpec status=3:IngressStatus',
  IngressClass: 'metadata=1:ObjectMeta spec=2:IngressClassSpec',
  NetworkPolicy: 'metadata=1:ObjectMeta spec=2:NetworkPolicySpec',
  IngressSpec: 'defaultBackend=1:IngressBackend tls=2:[]IngressTLS rules=3:[]IngressRule ingressClassName=4:*string',
  IngressStatus: 'loadBalancer=1:IngressLoadBalancerStatus',
  IngressClassSpec: 'controller=1 parameters=2:IngressClassParametersReference',
  NetworkPolicySpec: 'podSelector=1:LabelSelector ingress=2:[]NetworkPolicyIngressRule egress=3:[]NetworkPolicyEgressRule' +
    ' policyTypes=4:[]string',
  IngressBackend: 'resource=3:TypedLocalObjectReference service=4:IngressServiceBackend',
  IngressTLS: 'hosts=1:[]string secretName=2',
  IngressRule: 'host=1 ...=2:IngressRuleValue',
  IngressLoadBalancerStatus: 'ingress=1:[]IngressLoadBalancerIngress',
  IngressClassParametersReference: 'apiGroup=1:*string kind=2:!string name=3:!string scope=4:*string namespace=5:*string',
  NetworkPolicyIngressRule: 'ports=1:[]NetworkPolicyPort from=2:[]NetworkPolicyPeer',
  NetworkPolicyEgressRule: 'ports=1:[]NetworkPolicyPort to=2:[]NetworkPolicyPeer',
  IngressServiceBackend: 'name=1:!string port=2:ServiceBackendPort',
  IngressRuleValue: 'http=1:HTTPIngressRuleValue',
  IngressLoadBalancerIngress: 'ip=1 hostname=2 ports=4:[]IngressPortStatus',
  NetworkPolicyPort: 'protocol=1:*string port=2:*IntOrString endPort=3:*int32',
  NetworkPolicyPeer: 'podSelector=1:LabelSelector namespaceSelector=2:LabelSelector ipBlock=3:IPBlock',
  ServiceBackendPort: 'name=1 number=2:int32',
  HTTPIngressRuleValue: 'paths=1:[]HTTPIngressPath',
  IngressPortStatus: 'port=1:!int32 protocol=2:!string error=3:*string',
  IPBlock: 'cidr=1:!string except=2:[]string',
  HTTPIngressPath: 'path=1 backend=2:IngressBackend pathType=3:*string',
};

/** Messages of batch/v1. */
export const batchTables: Tables = {
  Job: 'metadata=1:ObjectMeta spec=2:JobSpec status=3:JobStatus',
  CronJob: 'metadata=1:ObjectMeta spec=2:CronJobSpec status=3:CronJobStatus',
  JobSpec: 'parallelism=1:*int32 completions=2:*int32 activeDeadlineSeconds=3:*int64 selector=4:LabelSelector' +
    ' manualSelector=5:*bool template=6:PodTemplateSpec backoffLimit=7:*int32' +
    ' ttlSecondsAfterFinished=8:*int32 completionMode=9:*string suspend=10:*bool' +
    ' podFailurePolicy=11:PodFailurePolicy backoffLimitPerIndex=12:*int32 maxFailedIndexes=13:*int32' +
    ' podReplacementPolicy=14:*string managedBy=15:*string successPolicy=16:SuccessPolicy',
  JobStatus: 'conditions=1:[]JobCondition startTime=2:Time completionTime=3:Time active=4:int32 succeeded=5:int32' +
    ' failed=6:int32 completedIndexes=7 uncountedTerminatedPods=8:UncountedTerminatedPods ready=9:*int32' +
    ' failedIndexes=10:*string terminating=11:*int32',
  CronJobSpec: 'schedule=1:!string startingDeadlineSeconds=2:*int64 concurrencyPolicy=3 suspend=4:*bool' +
    ' jobTemplate=5:JobTemplateSpec successfulJobsHistoryLimit=6:*int32 failedJobsHistoryLimit=7:*int32' +
    ' timeZone=8:*string',
  CronJobStatus: 'active=1:[]ObjectReference lastScheduleTime=4:Time lastSuccessfulTime=5:Time',
  PodFailurePolicy: 'rules=1:[]PodFailurePolicyRule',
  SuccessPolicy: 'rules=1:[]SuccessPolicyRule',
  JobCondition: 'type=1:!string status=2:!string lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6',
  UncountedTerminatedPods: 'succeeded=1:[]string failed=2:[]string',
  JobTemplateSpec: 'metadata=1:ObjectMeta spec=2:JobSpec',
  PodFailurePolicyRule: 'action=1:!string onExitCodes=2:PodFailurePolicyOnExitCodesRequirement' +
    ' onPodConditions=3:[]PodFailurePolicyOnPodConditionsPattern',
  SuccessPolicyRule: 'succeededIndexes=1:*string succeededCount=2:*int32',
  PodFailurePolicyOnExitCodesRequirement: 'containerName=1:*string operator=2:!string values=3:[]int32',
  PodFailurePolicyOnPodConditionsPattern: 'type=1:!string status=2:!string',
};

/** Messages of authorization.k8s.io/v1. */
export const authorizationTables: Tables = {
  SelfSubjectAccessReview: 'metadata=1:ObjectMeta spec=2:SelfSubjectAccessReviewSpec status=3:SubjectAccessReviewStatus',
  SelfSubjectAccessReviewSpec: 'resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes',
  SubjectAccessReviewStatus: 'allowed=1:!bool reason=2 evaluationError=3 denied=4:bool',
  ResourceAttributes: 'namespace=1 verb=2 group=3 version=4 resource=5 subresource=6 name=7' +
    ' fieldSelector=8:FieldSelectorAttributes labelSelector=9:LabelSelectorAttributes',
  NonResourceAttributes: 'path=1 verb=2',
  FieldSelectorAttributes: 'rawSelector=1 requirements=2:[]FieldSelectorRequirement',
  LabelSelectorAttributes: 'rawSelector=1 requirements=2:[]LabelSelectorRequirement',
};

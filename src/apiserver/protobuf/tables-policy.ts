/** Field tables for policy/v1 and autoscaling/v1 messages (`kubectl create pdb`, `kubectl autoscale` send protobuf), in the notation of table.ts. */
import type { Tables } from './table.js';

/** Messages of policy/v1. */
export const policyTables: Tables = {
  PodDisruptionBudget: 'metadata=1:ObjectMeta spec=2:PodDisruptionBudgetSpec status=3:PodDisruptionBudgetStatus',
  PodDisruptionBudgetSpec: 'minAvailable=1:*IntOrString selector=2:LabelSelector maxUnavailable=3:*IntOrString unhealthyPodEvictionPolicy=4:*string',
  PodDisruptionBudgetStatus: 'observedGeneration=1:int64 disruptedPods=2:map<Time> disruptionsAllowed=3:!int32 currentHealthy=4:!int32' +
    ' desiredHealthy=5:!int32 expectedPods=6:!int32 conditions=7:[]Condition',
};

/** Messages of autoscaling/v1 (kubectl before 1.33 creates v1 autoscalers). */
export const autoscalingTables: Tables = {
  HorizontalPodAutoscaler: 'metadata=1:ObjectMeta spec=2:HorizontalPodAutoscalerSpec status=3:HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerSpec: 'scaleTargetRef=1:CrossVersionObjectReference minReplicas=2:*int32 maxReplicas=3:!int32 targetCPUUtilizationPercentage=4:*int32',
  CrossVersionObjectReference: 'kind=1:!string name=2:!string apiVersion=3',
  HorizontalPodAutoscalerStatus: 'observedGeneration=1:*int64 lastScaleTime=2:Time currentReplicas=3:!int32 desiredReplicas=4:!int32' +
    ' currentCPUUtilizationPercentage=5:*int32',
};

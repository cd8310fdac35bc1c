/**
 * Field tables for core/v1 messages (our own compact notation, see table.ts): each entry maps a
 * message name to `jsonName=fieldNumber[:type]` items. Rarely used volume plugins are left out;
 * their fields are skipped like any unknown field.
 */
import type { Tables } from './table.js';

/** Messages of the core (legacy, `v1`) API group. */
export const coreTables: Tables = {
  Namespace: 'metadata=1:ObjectMeta spec=2:NamespaceSpec status=3:NamespaceStatus',
  Secret: 'metadata=1:ObjectMeta data=2:map<bytes> type=3 stringData=4:map immutable=5:*bool',
  ConfigMap: 'metadata=1:ObjectMeta data=2:map binaryData=3:map<bytes> immutable=4:*bool',
  ServiceAccount: 'metadata=1:ObjectMeta secrets=2:[]ObjectReference imagePullSecrets=3:[]LocalObjectReference' +
    ' automountServiceAccountToken=4:*bool',
  Service: 'metadata=1:ObjectMeta spec=2:ServiceSpec status=3:ServiceStatus',
  Pod: 'metadata=1:ObjectMeta spec=2:PodSpec status=3:PodStatus',
  ResourceQuota: 'metadata=1:ObjectMeta spec=2:ResourceQuotaSpec status=3:ResourceQuotaStatus',
  NamespaceSpec: 'finalizers=1:[]string',
  NamespaceStatus: 'phase=1 conditions=2:[]NamespaceCondition',
  ObjectReference: 'kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7',
  LocalObjectReference: 'name=1',
  ServiceSpec: 'ports=1:[]ServicePort selector=2:map clusterIP=3 type=4 externalIPs=5:[]string sessionAffinity=7' +
    ' loadBalancerIP=8 loadBalancerSourceRanges=9:[]string externalName=10 externalTrafficPolicy=11' +
    ' healthCheckNodePort=12:int32 publishNotReadyAddresses=13:bool' +
    ' sessionAffinityConfig=14:SessionAffinityConfig ipFamilyPolicy=17:*string clusterIPs=18:[]string' +
    ' ipFamilies=19:[]string allocateLoadBalancerNodePorts=20:*bool loadBalancerClass=21:*string' +
    ' internalTrafficPolicy=22:*string trafficDistribution=23:*string',
  ServiceStatus: 'loadBalancer=1:LoadBalancerStatus conditions=2:[]Condition',
  PodSpec: 'volumes=1:[]Volume containers=2:[]Container restartPolicy=3 terminationGracePeriodSeconds=4:*int64' +
    ' activeDeadlineSeconds=5:*int64 dnsPolicy=6 nodeSelector=7:map serviceAccountName=8 serviceAccount=9' +
    ' nodeName=10 hostNetwork=11:bool hostPID=12:bool hostIPC=13:bool' +
    ' securityContext=14:PodSecurityContext imagePullSecrets=15:[]LocalObjectReference hostname=16' +
    ' subdomain=17 affinity=18:Affinity schedulerName=19 initContainers=20:[]Container' +
    ' automountServiceAccountToken=21:*bool tolerations=22:[]Toleration hostAliases=23:[]HostAlias' +
    ' priorityClassName=24 priority=25:*int32 dnsConfig=26:PodDNSConfig shareProcessNamespace=27:*bool' +
    ' readinessGates=28:[]PodReadinessGate runtimeClassName=29:*string enableServiceLinks=30:*bool' +
    ' preemptionPolicy=31:*string overhead=32:map<Quantity>' +
    ' topologySpreadConstraints=33:[]TopologySpreadConstraint ephemeralContainers=34:[]EphemeralContainer' +
    ' setHostnameAsFQDN=35:*bool os=36:PodOS hostUsers=37:*bool schedulingGates=38:[]PodSchedulingGate' +
    ' resourceClaims=39:[]PodResourceClaim resources=40:ResourceRequirements hostnameOverride=41:*string',
  PodStatus: 'phase=1 conditions=2:[]PodCondition message=3 reason=4 hostIP=5 podIP=6 startTime=7:Time' +
    ' containerStatuses=8:[]ContainerStatus qosClass=9 initContainerStatuses=10:[]ContainerStatus' +
    ' nominatedNodeName=11 podIPs=12:[]PodIP ephemeralContainerStatuses=13:[]ContainerStatus resize=14' +
    ' resourceClaimStatuses=15:[]PodResourceClaimStatus hostIPs=16:[]HostIP observedGeneration=17:int64' +
    ' allocatedResources=19:map<Quantity> resources=20:ResourceRequirements',
  ResourceQuotaSpec: 'hard=1:map<Quantity> scopes=2:[]string scopeSelector=3:ScopeSelector',
  ResourceQuotaStatus: 'hard=1:map<Quantity> used=2:map<Quantity>',
  NamespaceCondition: 'type=1:!string status=2:!string lastTransitionTime=4:Time reason=5 message=6',
  ServicePort: 'name=1 protocol=2 port=3:!int32 targetPort=4:IntOrString nodePort=5:int32 appProtocol=6:*string',
  SessionAffinityConfig: 'clientIP=1:ClientIPConfig',
  LoadBalancerStatus: 'ingress=1:[]LoadBalancerIngress',
  Volume: 'name=1:!string ...=2:VolumeSource',
  Container: 'name=1:!string image=2 command=3:[]string args=4:[]string workingDir=5 ports=6:[]ContainerPort' +
    ' env=7:[]EnvVar resources=8:ResourceRequirements volumeMounts=9:[]VolumeMount livenessProbe=10:Probe' +
    ' readinessProbe=11:Probe lifecycle=12:Lifecycle terminationMessagePath=13 imagePullPolicy=14' +
    ' securityContext=15:SecurityContext stdin=16:bool stdinOnce=17:bool tty=18:bool' +
    ' envFrom=19:[]EnvFromSource terminationMessagePolicy=20 volumeDevices=21:[]VolumeDevice' +
    ' startupProbe=22:Probe resizePolicy=23:[]ContainerResizePolicy restartPolicy=24:*string',
  EphemeralContainer: '...=1:EphemeralContainerCommon targetContainerName=2',
  PodSecurityContext: 'seLinuxOptions=1:SELinuxOptions runAsUser=2:*int64 runAsNonRoot=3:*bool supplementalGroups=4:[]int64' +
    ' fsGroup=5:*int64 runAsGroup=6:*int64 sysctls=7:[]Sysctl' +
    ' windowsOptions=8:WindowsSecurityContextOptions fsGroupChangePolicy=9:*string' +
    ' seccompProfile=10:SeccompProfile appArmorProfile=11:AppArmorProfile' +
    ' supplementalGroupsPolicy=12:*string seLinuxChangePolicy=13:*string',
  Affinity: 'nodeAffinity=1:NodeAffinity podAffinity=2:PodAffinity podAntiAffinity=3:PodAntiAffinity',
  Toleration: 'key=1 operator=2 value=3 effect=4 tolerationSeconds=5:*int64',
  HostAlias: 'ip=1:!string hostnames=2:[]string',
  PodDNSConfig: 'nameservers=1:[]string searches=2:[]string options=3:[]PodDNSConfigOption',
  PodReadinessGate: 'conditionType=1:!string',
  TopologySpreadConstraint: 'maxSkew=1:!int32 topologyKey=2:!string whenUnsatisfiable=3:!string labelSelector=4:LabelSelector' +
    ' minDomains=5:*int32 nodeAffinityPolicy=6:*string nodeTaintsPolicy=7:*string' +
    ' matchLabelKeys=8:[]string',
  PodOS: 'name=1:!string',
  PodSchedulingGate: 'name=1:!string',
  PodResourceClaim: 'name=1:!string resourceClaimName=3:*string resourceClaimTemplateName=4:*string',
  ResourceRequirements: 'limits=1:map<Quantity> requests=2:map<Quantity> claims=3:[]ResourceClaim',
  PodCondition: 'type=1:!string status=2:!string lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6' +
    ' observedGeneration=7:int64',
  HostIP: 'ip=1:!string',
  PodIP: 'ip=1:!string',
  ContainerStatus: 'name=1:!string state=2:ContainerState lastState=3:ContainerState ready=4:!bool restartCount=5:!int32' +
    ' image=6:!string imageID=7:!string containerID=8 started=9:*bool allocatedResources=10:map<Quantity>' +
    ' resources=11:ResourceRequirements volumeMounts=12:[]VolumeMountStatus user=13:ContainerUser' +
    ' stopSignal=15:*string',
  PodResourceClaimStatus: 'name=1:!string resourceClaimName=2:*string',
  PodTemplateSpec: 'metadata=1:ObjectMeta spec=2:PodSpec',
  ScopeSelector: 'matchExpressions=1:[]ScopedResourceSelectorRequirement',
  ClientIPConfig: 'timeoutSeconds=1:*int32',
  LoadBalancerIngress: 'ip=1 hostname=2 ipMode=3:*string ports=4:[]PortStatus',
  VolumeSource: 'hostPath=1:HostPathVolumeSource emptyDir=2:EmptyDirVolumeSource gitRepo=5:GitRepoVolumeSource' +
    ' secret=6:SecretVolumeSource nfs=7:NFSVolumeSource' +
    ' persistentVolumeClaim=10:PersistentVolumeClaimVolumeSource downwardAPI=16:DownwardAPIVolumeSource' +
    ' configMap=19:ConfigMapVolumeSource projected=26:ProjectedVolumeSource csi=28:CSIVolumeSource' +
    ' ephemeral=29:EphemeralVolumeSource image=30:ImageVolumeSource',
  ContainerPort: 'name=1 hostPort=2:int32 containerPort=3:!int32 protocol=4 hostIP=5',
  EnvFromSource: 'prefix=1 configMapRef=2:ConfigMapEnvSource secretRef=3:SecretEnvSource',
  EnvVar: 'name=1:!string value=2 valueFrom=3:EnvVarSource',
  ContainerResizePolicy: 'resourceName=1:!string restartPolicy=2:!string',
  VolumeMount: 'name=1:!string readOnly=2:bool mountPath=3:!string subPath=4 mountPropagation=5:*string' +
    ' subPathExpr=6 recursiveReadOnly=7:*string bindMountOptions=8:[]string',
  VolumeDevice: 'name=1:!string devicePath=2:!string',
  Probe: '...=1:ProbeHandler initialDelaySeconds=2:int32 timeoutSeconds=3:int32 periodSeconds=4:int32' +
    ' successThreshold=5:int32 failureThreshold=6:int32 terminationGracePeriodSeconds=7:*int64',
  Lifecycle: 'postStart=1:LifecycleHandler preStop=2:LifecycleHandler stopSignal=3:*string',
  SecurityContext: 'capabilities=1:Capabilities privileged=2:*bool seLinuxOptions=3:SELinuxOptions runAsUser=4:*int64' +
    ' runAsNonRoot=5:*bool readOnlyRootFilesystem=6:*bool allowPrivilegeEscalation=7:*bool' +
    ' runAsGroup=8:*int64 procMount=9:*string windowsOptions=10:WindowsSecurityContextOptions' +
    ' seccompProfile=11:SeccompProfile appArmorProfile=12:AppArmorProfile',
  EphemeralContainerCommon: 'name=1:!string image=2 command=3:[]string args=4:[]string workingDir=5 ports=6:[]ContainerPort' +
    ' env=7:[]EnvVar resources=8:ResourceRequirements volumeMounts=9:[]VolumeMount livenessProbe=10:Probe' +
    ' readinessProbe=11:Probe lifecycle=12:Lifecycle terminationMessagePath=13 imagePullPolicy=14' +
    ' securityContext=15:SecurityContext stdin=16:bool stdinOnce=17:bool tty=18:bool' +
    ' envFrom=19:[]EnvFromSource terminationMessagePolicy=20 volumeDevices=21:[]VolumeDevice' +
    ' startupProbe=22:Probe resizePolicy=23:[]ContainerResizePolicy restartPolicy=24:*string',
  SELinuxOptions: 'user=1 role=2 type=3 level=4',
  WindowsSecurityContextOptions: 'gmsaCredentialSpecName=1:*string gmsaCredentialSpec=2:*string runAsUserName=3:*string' +
    ' hostProcess=4:*bool',
  Sysctl: 'name=1:!string value=2:!string',
  SeccompProfile: 'type=1:!string localhostProfile=2:*string',
  AppArmorProfile: 'type=1:!string localhostProfile=2:*string',
  NodeAffinity: 'requiredDuringSchedulingIgnoredDuringExecution=1:NodeSelector' +
    ' preferredDuringSchedulingIgnoredDuringExecution=2:[]PreferredSchedulingTerm',
  PodAffinity: 'requiredDuringSchedulingIgnoredDuringExecution=1:[]PodAffinityTerm' +
    ' preferredDuringSchedulingIgnoredDuringExecution=2:[]WeightedPodAffinityTerm',
  PodAntiAffinity: 'requiredDuringSchedulingIgnoredDuringExecution=1:[]PodAffinityTerm' +
    ' preferredDuringSchedulingIgnoredDuringExecution=2:[]WeightedPodAffinityTerm',
  PodDNSConfigOption: 'name=1 value=2:*string',
  ResourceClaim: 'name=1:!string request=2',
  ContainerState: 'waiting=1:ContainerStateWaiting running=2:ContainerStateRunning' +
    ' terminated=3:ContainerStateTerminated',
  VolumeMountStatus: 'name=1:!string mountPath=2:!string readOnly=3:bool recursiveReadOnly=4:*string' +
    ' volumeStatus=5:VolumeStatus',
  ContainerUser: 'linux=1:LinuxContainerUser',
  TypedLocalObjectReference: 'apiGroup=1:*string kind=2:!string name=3:!string',
  ScopedResourceSelectorRequirement: 'scopeName=1:!string operator=2:!string values=3:[]string',
  PortStatus: 'port=1:!int32 protocol=2:!string error=3:*string',
  HostPathVolumeSource: 'path=1:!string type=2:*string',
  EmptyDirVolumeSource: 'medium=1 sizeLimit=2:Quantity mode=3:*int32',
  GitRepoVolumeSource: 'repository=1:!string revision=2 directory=3',
  SecretVolumeSource: 'secretName=1 items=2:[]KeyToPath defaultMode=3:*int32 optional=4:*bool defaultUser=5:*int64',
  NFSVolumeSource: 'server=1:!string path=2:!string readOnly=3:bool',
  PersistentVolumeClaimVolumeSource: 'claimName=1:!string readOnly=2:bool',
  DownwardAPIVolumeSource: 'items=1:[]DownwardAPIVolumeFile defaultMode=2:*int32 defaultUser=3:*int64',
  ConfigMapVolumeSource: '...=1:LocalObjectReference items=2:[]KeyToPath defaultMode=3:*int32 optional=4:*bool' +
    ' defaultUser=5:*int64',
  ProjectedVolumeSource: 'sources=1:[]VolumeProjection defaultMode=2:*int32 defaultUser=3:*int64',
  CSIVolumeSource: 'driver=1:!string readOnly=2:*bool fsType=3:*string volumeAttributes=4:map' +
    ' nodePublishSecretRef=5:LocalObjectReference',
  EphemeralVolumeSource: 'volumeClaimTemplate=1:PersistentVolumeClaimTemplate',
  ImageVolumeSource: 'reference=1 pullPolicy=2',
  ConfigMapEnvSource: '...=1:LocalObjectReference optional=2:*bool',
  SecretEnvSource: '...=1:LocalObjectReference optional=2:*bool',
  EnvVarSource: 'fieldRef=1:ObjectFieldSelector resourceFieldRef=2:ResourceFieldSelector' +
    ' configMapKeyRef=3:ConfigMapKeySelector secretKeyRef=4:SecretKeySelector fileKeyRef=5:FileKeySelector',
  ProbeHandler: 'exec=1:ExecAction httpGet=2:HTTPGetAction tcpSocket=3:TCPSocketAction grpc=4:GRPCAction',
  LifecycleHandler: 'exec=1:ExecAction httpGet=2:HTTPGetAction tcpSocket=3:TCPSocketAction sleep=4:SleepAction',
  Capabilities: 'add=1:[]string drop=2:[]string',
  NodeSelector: 'nodeSelectorTerms=1:[]NodeSelectorTerm',
  PreferredSchedulingTerm: 'weight=1:!int32 preference=2:NodeSelectorTerm',
  PodAffinityTerm: 'labelSelector=1:LabelSelector namespaces=2:[]string topologyKey=3:!string' +
    ' namespaceSelector=4:LabelSelector matchLabelKeys=5:[]string mismatchLabelKeys=6:[]string',
  WeightedPodAffinityTerm: 'weight=1:!int32 podAffinityTerm=2:PodAffinityTerm',
  ContainerStateWaiting: 'reason=1 message=2',
  ContainerStateRunning: 'startedAt=1:Time',
  ContainerStateTerminated: 'exitCode=1:!int32 signal=2:int32 reason=3 message=4 startedAt=5:Time finishedAt=6:Time containerID=7',
  VolumeStatus: 'image=1:ImageVolumeStatus',
  LinuxContainerUser: 'uid=1:!int64 gid=2:!int64 supplementalGroups=3:[]int64',
  KeyToPath: 'key=1:!string path=2:!string mode=3:*int32 user=4:*int64',
  DownwardAPIVolumeFile: 'path=1:!string fieldRef=2:ObjectFieldSelector resourceFieldRef=3:ResourceFieldSelector mode=4:*int32' +
    ' user=5:*int64',
  VolumeProjection: 'secret=1:SecretProjection downwardAPI=2:DownwardAPIProjection configMap=3:ConfigMapProjection' +
    ' serviceAccountToken=4:ServiceAccountTokenProjection',
  PersistentVolumeClaimTemplate: 'metadata=1:ObjectMeta spec=2:PersistentVolumeClaimSpec',
  ObjectFieldSelector: 'apiVersion=1 fieldPath=2:!string',
  ResourceFieldSelector: 'containerName=1 resource=2:!string divisor=3:Quantity',
  ConfigMapKeySelector: '...=1:LocalObjectReference key=2:!string optional=3:*bool',
  SecretKeySelector: '...=1:LocalObjectReference key=2:!string optional=3:*bool',
  FileKeySelector: 'volumeName=1:!string path=2:!string key=3:!string optional=4:*bool',
  ExecAction: 'command=1:[]string',
  HTTPGetAction: 'path=1 port=2:!IntOrString host=3 scheme=4 httpHeaders=5:[]HTTPHeader protocol=6:*string',
  TCPSocketAction: 'port=1:!IntOrString host=2',
  GRPCAction: 'port=1:!int32 service=2:*string mode=3:*string',
  SleepAction: 'seconds=1:!int64',
  NodeSelectorTerm: 'matchExpressions=1:[]NodeSelectorRequirement matchFields=2:[]NodeSelectorRequirement',
  ImageVolumeStatus: 'imageRef=1',
  SecretProjection: '...=1:LocalObjectReference items=2:[]KeyToPath optional=4:*bool',
  DownwardAPIProjection: 'items=1:[]DownwardAPIVolumeFile',
  ConfigMapProjection: '...=1:LocalObjectReference items=2:[]KeyToPath optional=4:*bool',
  ServiceAccountTokenProjection: 'audience=1 expirationSeconds=2:*int64 path=3:!string user=4:*int64',
  PersistentVolumeClaimSpec: 'accessModes=1:[]string resources=2:VolumeResourceRequirements volumeName=3 selector=4:LabelSelector' +
    ' storageClassName=5:*string volumeMode=6:*string dataSource=7:TypedLocalObjectReference' +
    ' dataSourceRef=8:TypedObjectReference volumeAttributesClassName=9:*string',
  HTTPHeader: 'name=1:!string value=2:!string',
  NodeSelectorRequirement: 'key=1:!string operator=2:!string values=3:[]string',
  VolumeResourceRequirements: 'limits=1:map<Quantity> requests=2:map<Quantity>',
  TypedObjectReference: 'apiGroup=1:*string kind=2:!string name=3:!string namespace=4:*string',
};

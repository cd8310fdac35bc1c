/** Container-level core/v1 schemas: Container, ports, env, probes, lifecycle, resources, mounts, security. */
import { Obj, Opt, Str, Bool, Int32, Int64, List, MapOf, Type, IntOrString, Quantity, type TSchema, type Static } from '../schema.js';
import { ObjectFieldSelector, ResourceFieldSelector, ConfigMapKeySelector, SecretKeySelector, FileKeySelector, mergeList, atomic } from './pod-spec-common.js';

const C = 'io.k8s.api.core.v1.';
const strList = (d: string) => Opt(List(Type.String(), d, atomic));

export const ContainerPort = Obj(C + 'ContainerPort', 'A network port the container listens on.', {
  name: Opt(Str('IANA service name for the port, unique within the pod.')),
  hostPort: Opt(Int32('Port to expose on the host; rarely needed.')),
  containerPort: Int32('Port number on the pod IP.'),
  protocol: Opt(Str('TCP, UDP or SCTP; defaults to TCP.')),
  hostIP: Opt(Str('Host IP to bind the host port to.')),
});

export const EnvVarSource = Obj(C + 'EnvVarSource', 'Where an environment variable takes its value from.', {
  fieldRef: Opt(ObjectFieldSelector),
  resourceFieldRef: Opt(ResourceFieldSelector),
  configMapKeyRef: Opt(ConfigMapKeySelector),
  secretKeyRef: Opt(SecretKeySelector),
  fileKeyRef: Opt(FileKeySelector),
});

export const EnvVar = Obj(C + 'EnvVar', 'An environment variable of a container.', {
  name: Str('Variable name.'),
  value: Opt(Str('Literal value; $(VAR) references are expanded.')),
  valueFrom: Opt(EnvVarSource),
});

const optionalRef = (id: string, what: string) => Obj(C + id, `Names a ${what} whose keys become environment variables.`, {
  name: Opt(Str(`Name of the ${what}.`)),
  optional: Opt(Bool(`Whether the ${what} may be missing.`)),
});

export const EnvFromSource = Obj(C + 'EnvFromSource', 'Imports every key of a ConfigMap or Secret as environment variables.', {
  prefix: Opt(Str('Prefix added to each imported name.')),
  configMapRef: Opt(optionalRef('ConfigMapEnvSource', 'ConfigMap')),
  secretRef: Opt(optionalRef('SecretEnvSource', 'Secret')),
});

export const HTTPHeader = Obj(C + 'HTTPHeader', 'A header sent with an HTTP probe.', {
  name: Str('Header name.'),
  value: Str('Header value.'),
});

export const ExecAction = Obj(C + 'ExecAction', 'Runs a command in the container.', {
  command: strList('Command line to run; not run in a shell.'),
});

export const HTTPGetAction = Obj(C + 'HTTPGetAction', 'Performs an HTTP GET against the container.', {
  path: Opt(Str('Path to request.')),
  port: IntOrString,
  host: Opt(Str('Host to connect to; defaults to the pod IP.')),
  scheme: Opt(Str('HTTP or HTTPS; defaults to HTTP.')),
  httpHeaders: Opt(List(HTTPHeader, 'Extra request headers.', atomic)),
});

export const TCPSocketAction = Obj(C + 'TCPSocketAction', 'Opens a TCP connection to the container.', {
  port: IntOrString,
  host: Opt(Str('Host to connect to; defaults to the pod IP.')),
});

export const GRPCAction = Obj(C + 'GRPCAction', 'Calls the gRPC health checking service.', {
  port: Int32('Port of the gRPC service.'),
  service: Opt(Str('Service name sent in the health check request.')),
});

export const SleepAction = Obj(C + 'SleepAction', 'Pauses for a number of seconds.', {
  seconds: Int64('Seconds to sleep.'),
});

export const Probe = Obj(C + 'Probe', 'A periodic health check of a container.', {
  exec: Opt(ExecAction),
  httpGet: Opt(HTTPGetAction),
  tcpSocket: Opt(TCPSocketAction),
  grpc: Opt(GRPCAction),
  initialDelaySeconds: Opt(Int32('Seconds after start before the first probe.')),
  timeoutSeconds: Opt(Int32('Seconds before a probe times out; defaults to 1.')),
  periodSeconds: Opt(Int32('Seconds between probes; defaults to 10.')),
  successThreshold: Opt(Int32('Consecutive successes needed after a failure; defaults to 1.')),
  failureThreshold: Opt(Int32('Consecutive failures before giving up; defaults to 3.')),
  terminationGracePeriodSeconds: Opt(Int64('Grace period used when this probe fails.')),
});

export const LifecycleHandler = Obj(C + 'LifecycleHandler', 'An action run at a lifecycle hook.', {
  exec: Opt(ExecAction),
  httpGet: Opt(HTTPGetAction),
  tcpSocket: Opt(TCPSocketAction),
  sleep: Opt(SleepAction),
});

export const Lifecycle = Obj(C + 'Lifecycle', 'Actions run after a container starts and before it stops.', {
  postStart: Opt(LifecycleHandler),
  preStop: Opt(LifecycleHandler),
  stopSignal: Opt(Str('Signal used to stop the container.')),
});

export const ResourceList = (d: string) => MapOf(Quantity, d);

export const ResourceClaim = Obj(C + 'ResourceClaim', 'Names a pod resource claim the container uses.', {
  name: Str('Name of an entry in spec.resourceClaims.'),
  request: Opt(Str('A single request inside the claim.')),
});

export const ResourceRequirements = Obj(C + 'ResourceRequirements', 'Compute resource requests and limits.', {
  limits: Opt(ResourceList('Maximum amounts allowed.')),
  requests: Opt(ResourceList('Minimum amounts reserved; default to the limits.')),
  claims: Opt(List(ResourceClaim, 'Dynamic resource claims used.', { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })),
});

export const ContainerResizePolicy = Obj(C + 'ContainerResizePolicy', 'How a resource may be resized in place.', {
  resourceName: Str('cpu or memory.'),
  restartPolicy: Str('NotRequired or RestartContainer.'),
});

export const ContainerRestartRule = Obj(C + 'ContainerRestartRule', 'A rule deciding container restarts from exit codes.', {
  action: Str('Action taken when the rule matches.'),
  exitCodes: Opt(Obj(C + 'ContainerRestartRuleOnExitCodes', 'Exit codes a restart rule matches.', {
    operator: Str('In or NotIn.'),
    values: Opt(List(Type.Integer({ format: 'int32' }), 'Exit codes.', { 'x-kubernetes-list-type': 'set' })),
  })),
});

export const VolumeMount = Obj(C + 'VolumeMount', 'Mounts a pod volume into a container.', {
  name: Str('Name of the volume.'),
  readOnly: Opt(Bool('Mount read-only.')),
  recursiveReadOnly: Opt(Str('Disabled, IfPossible or Enabled.')),
  mountPath: Str('Path inside the container.'),
  subPath: Opt(Str('Sub-path of the volume to mount.')),
  mountPropagation: Opt(Str('None, HostToContainer or Bidirectional.')),
  subPathExpr: Opt(Str('Sub-path with $(VAR) expansion.')),
});

export const VolumeDevice = Obj(C + 'VolumeDevice', 'Maps a raw block volume into a container.', {
  name: Str('Name of a persistentVolumeClaim volume.'),
  devicePath: Str('Device path inside the container.'),
});

const profile = (id: string, what: string) => Obj(C + id, `The ${what} profile to apply.`, {
  type: Str('Kind of profile: RuntimeDefault, Localhost or Unconfined.'),
  localhostProfile: Opt(Str('Profile file on the node, for type Localhost.')),
});
export const SeccompProfile = profile('SeccompProfile', 'seccomp');
export const AppArmorProfile = profile('AppArmorProfile', 'AppArmor');

export const SELinuxOptions = Obj(C + 'SELinuxOptions', 'SELinux labels applied to a container.', {
  user: Opt(Str('SELinux user.')), role: Opt(Str('SELinux role.')), type: Opt(Str('SELinux type.')), level: Opt(Str('SELinux level.')),
});

export const WindowsSecurityContextOptions = Obj(C + 'WindowsSecurityContextOptions', 'Windows-specific security options.', {
  gmsaCredentialSpecName: Opt(Str('Name of the GMSA credential spec.')),
  gmsaCredentialSpec: Opt(Str('Inline GMSA credential spec.')),
  runAsUserName: Opt(Str('Windows user to run as.')),
  hostProcess: Opt(Bool('Run as a host process container.')),
});

export const SecurityContext = Obj(C + 'SecurityContext', 'Security settings of one container.', {
  capabilities: Opt(Obj(C + 'Capabilities', 'Linux capabilities to add and drop.', {
    add: strList('Capabilities to add.'), drop: strList('Capabilities to drop.'),
  })),
  privileged: Opt(Bool('Run privileged.')),
  seLinuxOptions: Opt(SELinuxOptions),
  windowsOptions: Opt(WindowsSecurityContextOptions),
  runAsUser: Opt(Int64('UID to run as.')),
  runAsGroup: Opt(Int64('GID to run as.')),
  runAsNonRoot: Opt(Bool('Refuse to start as root.')),
  readOnlyRootFilesystem: Opt(Bool('Mount the root filesystem read-only.')),
  allowPrivilegeEscalation: Opt(Bool('Allow gaining more privileges than the parent process.')),
  procMount: Opt(Str('Default or Unmasked.')),
  seccompProfile: Opt(SeccompProfile),
  appArmorProfile: Opt(AppArmorProfile),
});

function containerProps(description: string, extra: Record<string, TSchema> = {}) {
  return {
    name: Str(description),
    image: Opt(Str('Container image reference.')),
    command: strList('Entrypoint override; not run in a shell.'),
    args: strList('Arguments to the entrypoint.'),
    workingDir: Opt(Str('Working directory.')),
    ports: Opt(List(ContainerPort, 'Ports exposed by the container.', mergeList('containerPort', ['containerPort', 'protocol']))),
    envFrom: Opt(List(EnvFromSource, 'Sources of environment variables.', atomic)),
    env: Opt(List(EnvVar, 'Environment variables.', mergeList('name'))),
    resources: Opt(ResourceRequirements),
    resizePolicy: Opt(List(ContainerResizePolicy, 'In-place resize policies.', atomic)),
    restartPolicy: Opt(Str('Always for sidecar init containers.')),
    restartPolicyRules: Opt(List(ContainerRestartRule, 'Restart rules by exit code.', atomic)),
    volumeMounts: Opt(List(VolumeMount, 'Volumes mounted into the container.', mergeList('mountPath'))),
    volumeDevices: Opt(List(VolumeDevice, 'Block devices used by the container.', mergeList('devicePath'))),
    livenessProbe: Opt(Probe),
    readinessProbe: Opt(Probe),
    startupProbe: Opt(Probe),
    lifecycle: Opt(Lifecycle),
    terminationMessagePath: Opt(Str('File the termination message is read from.')),
    terminationMessagePolicy: Opt(Str('File or FallbackToLogsOnError.')),
    imagePullPolicy: Opt(Str('Always, Never or IfNotPresent.')),
    securityContext: Opt(SecurityContext),
    stdin: Opt(Bool('Keep a stdin buffer open.')),
    stdinOnce: Opt(Bool('Close stdin after the first attach ends.')),
    tty: Opt(Bool('Allocate a TTY.')),
    ...extra,
  };
}

export const ContainerSchema = Obj(C + 'Container', 'A container run in a pod.', containerProps('Container name, a DNS label unique within the pod.'));
export type Container = Static<typeof ContainerSchema>;

export const EphemeralContainerSchema = Obj(C + 'EphemeralContainer', 'A temporary debugging container added to a running pod.',
  containerProps('Container name, unique among all containers of the pod.', {
    targetContainerName: Opt(Str('Container whose namespaces to share.')),
  }));

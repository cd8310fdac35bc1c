/** The built-in images by repository name, Kubernetes' command/args rules, and the stand-in for unknown images. */
import type { ImageDef, Program } from './types.js';
import { parseImageRef } from './ref.js';
import { baseTools, binFiles, busyboxTools, shellProgram } from './shell/index.js';
import { curl, toolboxImages } from './toolbox/index.js';
import { ncProgram } from './toolbox/nc.js';
import { dig, nslookupProgram } from './toolbox/dns-tools.js';
import { nginxImage } from './nginx/index.js';
import { httpdImage } from './httpd.js';
import { httpEchoImage } from './httpecho.js';
import { whoamiImage } from './whoami.js';
import { agnhostImage } from './agnhost/index.js';
import { pauseImage } from './pause.js';
import { standIn } from './standin.js';
import { corednsImage } from './coredns.js';

export { parseImageRef } from './ref.js';

/** Adds a shell and core tools (`sh`, `cat`, `env`, `hostname`, `ls`, …) to an image; its own programs win. */
export function withBaseTools(def: ImageDef, tools: Record<string, Program> = baseTools): ImageDef {
  return {
    ...def,
    files: { ...binFiles(Object.keys(tools)), ...binFiles(Object.keys(def.programs), '/usr/local/bin'), ...def.files },
    programs: { ...tools, ...def.programs },
  };
}

/** agnhost's alpine userland: busybox plus bash, curl, netcat-openbsd and bind-tools. */
const agnhostTools: Record<string, Program> = {
  ...busyboxTools, bash: shellProgram('bash'), curl, nc: ncProgram('openbsd'), dig, nslookup: nslookupProgram(true),
};

const images: ImageDef[] = [
  withBaseTools(nginxImage), withBaseTools(httpdImage), withBaseTools(agnhostImage, agnhostTools),
  httpEchoImage, whoamiImage, pauseImage, corednsImage, ...toolboxImages,
];

/** Adds an image (later registrations take precedence for the same repository). */
export function registerImage(def: ImageDef): void {
  images.unshift(def);
}

/** The built-in image for a reference (`nginx`, `docker.io/library/nginx:1.27`, `registry.k8s.io/pause:3.10`, `x@sha256:…`). */
export function resolveImage(image: string): ImageDef | undefined {
  const { repository } = parseImageRef(image);
  return images.find((d) => d.repositories.some((r) => parseImageRef(r).repository === repository));
}

const standIns = new WeakSet<ImageDef>();

/** An image that runs the stand-in whatever the command says (with a shell for `kubectl exec`). */
export function standInImage(image: string): ImageDef {
  const def = withBaseTools({
    repositories: [parseImageRef(image).repository],
    entrypoint: ['/knet-stand-in'],
    cmd: [],
    programs: { 'knet-stand-in': standIn },
  });
  standIns.add(def);
  return def;
}

/** Whether an image is a stand-in. */
export function isStandIn(def: ImageDef): boolean {
  return standIns.has(def);
}

/** The argv a container runs: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD; stand-ins always run the stand-in. */
export function argvFor(image: ImageDef, command?: string[], args?: string[]): string[] {
  if (standIns.has(image)) return [...image.entrypoint];
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args && args.length > 0 ? args : image.cmd)];
}

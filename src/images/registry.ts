/** Per-cluster image registries (the built-in images by repository name), Kubernetes' command/args rules, and the stand-in for unknown images. */
import type { ImageDef, Program } from './types.js';
import { parseImageRef } from './ref.js';
import { baseTools, binFiles, busyboxTools, shellProgram } from './shell/index.js';
import { curl, toolboxImages } from './toolbox/index.js';
import { ncProgram } from './toolbox/nc.js';
import { dig } from './toolbox/dns-tools.js';
import { nslookupProgram } from './toolbox/nslookup.js';
import { nginxImage } from './nginx/index.js';
import { httpdImage } from './httpd.js';
import { httpEchoImage } from './httpecho.js';
import { whoamiImage } from './whoami.js';
import { agnhostImage } from './agnhost/index.js';
import { pauseImage } from './pause.js';
import { standIn } from './standin.js';
import { corednsImage } from './coredns.js';
import { ingressNginxImage } from './ingress-nginx/index.js';
import { certgenImage } from './certgen/index.js';

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

/** Freezes a def and its lists and maps, so a def shared by every cluster cannot carry state between them. */
function frozen(def: ImageDef): ImageDef {
  for (const part of [def.repositories, def.entrypoint, def.cmd, def.env, def.files, def.programs]) if (part) Object.freeze(part);
  return Object.freeze(def);
}

/** The images every cluster starts with; each registry copies the list. */
const BUILT_IN: readonly ImageDef[] = Object.freeze([
  withBaseTools(nginxImage), withBaseTools(httpdImage), withBaseTools(agnhostImage, agnhostTools),
  withBaseTools(ingressNginxImage), certgenImage, httpEchoImage, whoamiImage, pauseImage, corednsImage, ...toolboxImages,
].map(frozen));

/** One cluster's images: the built-in ones plus those registered on it. */
export class ImageRegistry {
  private readonly images: ImageDef[] = [...BUILT_IN];

  /** Adds an image (later registrations take precedence for the same repository). */
  register(def: ImageDef): void {
    this.images.unshift(def);
  }

  /** The image for a reference (`nginx`, `docker.io/library/nginx:1.27`, `registry.k8s.io/pause:3.10`, `x@sha256:…`). */
  resolve(image: string): ImageDef | undefined {
    const { repository } = parseImageRef(image);
    return this.images.find((d) => d.repositories.some((r) => parseImageRef(r).repository === repository));
  }
}

/** An image that runs the stand-in whatever the command says (with a shell for `kubectl exec`). */
export function standInImage(image: string): ImageDef {
  return {
    ...withBaseTools({
      repositories: [parseImageRef(image).repository],
      entrypoint: ['/knet-stand-in'],
      cmd: [],
      programs: { 'knet-stand-in': standIn },
    }),
    standIn: true,
  };
}

/** Whether an image is a stand-in. */
export function isStandIn(def: ImageDef): boolean {
  return def.standIn === true;
}

/** The argv a container runs: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD; stand-ins always run the stand-in. */
export function argvFor(image: ImageDef, command?: string[], args?: string[]): string[] {
  if (image.standIn) return [...image.entrypoint];
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args && args.length > 0 ? args : image.cmd)];
}

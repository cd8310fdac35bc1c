/** The stock nginx configuration files and the small part of nginx.conf syntax knet honours (listen, root, index). */

/** /etc/nginx/conf.d/default.conf as the nginx package installs it (the entrypoint then adds an IPv6 listen). */
export const DEFAULT_CONF = `server {
    listen       80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
`;

/** What the server blocks ask for. */
export interface NginxSite { ports: number[]; root: string; index: string[] }

/** Reads listen ports, root and index from the conf.d files (first root/index wins; defaults otherwise). */
export function readSites(confs: string[]): NginxSite {
  const site: NginxSite = { ports: [], root: '/usr/share/nginx/html', index: ['index.html'] };
  let rootSeen = false, indexSeen = false;
  for (const text of confs) {
    const clean = text.replace(/#.*$/gm, '');
    for (const m of clean.matchAll(/(?:^|[\s;{}])listen\s+([^;]+);/g)) {
      const addr = (m[1] ?? '').trim().split(/\s+/)[0] ?? '';
      const port = Number(/(\d+)$/.exec(addr)?.[1] ?? '80');
      if (!addr.startsWith('[') && !site.ports.includes(port)) site.ports.push(port);
    }
    const root = /(?:^|[\s;{}])root\s+([^;]+);/.exec(clean);
    if (root?.[1] && !rootSeen) { site.root = root[1].trim().replace(/\/$/, '') || '/'; rootSeen = true; }
    const index = /(?:^|[\s;{}])index\s+([^;]+);/.exec(clean);
    if (index?.[1] && !indexSeen) { site.index = index[1].trim().split(/\s+/); indexSeen = true; }
  }
  if (site.ports.length === 0) site.ports.push(80);
  return site;
}

/** The packaged default.conf with the IPv6 listen the entrypoint script adds. */
export function withIpv6Listen(conf: string): string {
  return conf.replace(/(listen\s+80;)/, '$1\n    listen  [::]:80;');
}

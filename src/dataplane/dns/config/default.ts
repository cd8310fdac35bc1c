/** kubeadm's default Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go), which kind installs too. */

/** The Corefile kubeadm writes for a cluster domain. */
export function defaultCorefile(domain: string): string {
  return [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    `    kubernetes ${domain} in-addr.arpa ip6.arpa {`,
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    '    forward . /etc/resolv.conf {',
    '       max_concurrent 1000',
    '    }',
    '    cache 30 {',
    `       disable success ${domain}`,
    `       disable denial ${domain}`,
    '    }',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
}

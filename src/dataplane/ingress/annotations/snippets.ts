/**
 * Snippet annotations (`IN:docs/user-guide/nginx-configuration/annotations-risk.md`, notes §5.11):
 * raw nginx configuration, risk Critical, refused under ingress-nginx's defaults
 * (`allow-snippet-annotations: "false"`, `annotations-risk-level: High`). knet has no nginx to hand
 * them to, so they are refused even when allowed.
 */
import { PREFIX } from './values.js';

/** The snippet annotations and their annotation group names in ingress-nginx's logs. */
export const SNIPPETS: Readonly<Record<string, string>> = {
  'configuration-snippet': 'ConfigurationSnippet',
  'server-snippet': 'ServerSnippet',
  'auth-snippet': 'ExternalAuth',
  'stream-snippet': 'StreamSnippet',
  'modsecurity-snippet': 'ModSecurity',
};

/**
 * The first snippet annotation present, with the event and log texts that refuse the Ingress; with
 * `allowed` (the ConfigMap's allow-snippet-annotations "true") the texts say knet runs no snippets.
 */
export function refusedSnippet(annotations: Readonly<Record<string, string>>, allowed = false): { annotation: string; event: string; log: string } | undefined {
  for (const [name, group] of Object.entries(SNIPPETS)) {
    if (annotations[PREFIX + name] === undefined) continue;
    return {
      annotation: name,
      event: allowed
        ? `${PREFIX}${name} annotation cannot be used: knet has no nginx configuration to add snippets to (allow-snippet-annotations has no effect)`
        : `${PREFIX}${name} annotation cannot be used. Snippet directives are disabled by the Ingress administrator`,
      log: `annotation group ${group} contains risky annotation based on ingress configuration`,
    };
  }
  return undefined;
}

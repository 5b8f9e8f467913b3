// Warnings about endpoints and TLS settings that expose the kernel's requests: signed requests
// (and statement code and output) sent in clear text over a network, to the instance metadata
// range, or over TLS whose certificates are not checked. Said once, in the cell, not refused:
// a VPC proxy or a test rig may mean it.
import { isIP } from 'node:net';

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

function isLinkLocal(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(h) === 4) return h.startsWith('169.254.');
  return isIP(h) === 6 && /^fe[89ab]/.test(h);
}

/** The Glue endpoint the SDK uses: the setting, else the SDK's environment variables. */
export function effectiveGlueEndpoint(
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv,
): string | undefined {
  return endpoint ?? env.AWS_ENDPOINT_URL_GLUE ?? env.AWS_ENDPOINT_URL;
}

/** What is unsafe about talking to `endpoint` with this environment (empty when nothing is). */
export function endpointTrustWarnings(endpoint: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined; // the settings schema reports a malformed URL
    }
    if (url && isLinkLocal(url.hostname)) {
      warnings.push(
        `The Glue endpoint ${url.origin} is a link-local address (169.254.0.0/16, the instance metadata range): ` +
          'requests signed with your credentials go there. Check %endpoint / AWS_ENDPOINT_URL_GLUE.',
      );
    } else if (url?.protocol === 'http:' && !isLoopback(url.hostname)) {
      warnings.push(
        `The Glue endpoint ${url.origin} is plain http to another host: your requests, code and results ` +
          'cross the network unencrypted. Use https:// unless this network is trusted.',
      );
    }
  }
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    warnings.push(
      'NODE_TLS_REJECT_UNAUTHORIZED=0 is set: TLS certificates are not checked, so anyone on the path can ' +
        "read and change the kernel's AWS requests. Unset it, or give your CA with NODE_EXTRA_CA_CERTS.",
    );
  }
  return warnings;
}

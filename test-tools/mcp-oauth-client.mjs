// A real MCP client that follows the MCP authorization specification, for the gateway's integration tests:
// the official TypeScript SDK client discovers the authorization server from the gateway's 401
// (WWW-Authenticate resource_metadata → RFC 9728 metadata → RFC 8414/OIDC metadata), registers itself
// dynamically (RFC 7591), sends the user to log in (authorization code + PKCE + RFC 8707 resource), exchanges
// the code, and lists tools. The "browser" is scripted: it posts the identity provider's login form.
//
// Usage: node mcp-oauth-client.mjs <mcp-url> <username> <password>
// Prints one JSON line: {"tools": [...names], "registeredClientId": "...", "tokenType": "..."}; exits 1 on failure.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const [mcpUrl, username, password] = process.argv.slice(2);
if (!mcpUrl || !username || !password) {
  console.error('usage: node mcp-oauth-client.mjs <mcp-url> <username> <password>');
  process.exit(2);
}

const redirectUrl = 'http://127.0.0.1:18999/callback';   // never listened on: the script reads the Location header

class ScriptedProvider {
  constructor() { this._client = undefined; this._tokens = undefined; this._verifier = undefined; this.authorizationUrl = undefined; }
  get redirectUrl() { return redirectUrl; }
  get clientMetadata() {
    return {
      client_name: 'gatehouse-integration-test',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this._client; }
  saveClientInformation(info) { this._client = info; }
  tokens() { return this._tokens; }
  saveTokens(tokens) { this._tokens = tokens; }
  redirectToAuthorization(url) { this.authorizationUrl = url; }
  saveCodeVerifier(verifier) { this._verifier = verifier; }
  codeVerifier() { return this._verifier; }
}

// A minimal browser: a cookie jar and manual redirects.
const cookies = new Map();
function cookieHeader() { return [...cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
function remember(response) {
  for (const line of response.headers.getSetCookie?.() ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
async function browse(url, options = {}) {
  const response = await fetch(url, { ...options, redirect: 'manual', headers: { ...(options.headers ?? {}), cookie: cookieHeader() } });
  remember(response);
  return response;
}

async function login(authorizationUrl) {
  let url = authorizationUrl.toString();
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUrl)) {
      const code = new URL(url).searchParams.get('code');
      if (!code) throw new Error(`the authorization server redirected back without a code: ${url}`);
      return code;
    }
    const response = await browse(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location'), url).toString();
      continue;
    }
    const html = await response.text();
    if (response.status === 200 && /name="username"/.test(html)) {
      const csrf = /name="_csrf"[^>]*value="([^"]+)"/.exec(html) ?? /value="([^"]+)"[^>]*name="_csrf"/.exec(html);
      const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '/login', url).toString();
      const form = new URLSearchParams({ username, password });
      if (csrf) form.set('_csrf', csrf[1]);
      const posted = await browse(action, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      if (posted.status < 300 || posted.status >= 400) throw new Error(`login form answered ${posted.status}`);
      url = new URL(posted.headers.get('location'), action).toString();
      if (/[?&]error/.test(url)) throw new Error(`login refused: ${url}`);
      continue;
    }
    throw new Error(`unexpected page at ${url}: HTTP ${response.status}`);
  }
  throw new Error('too many redirects while logging in');
}

async function main() {
  const provider = new ScriptedProvider();
  let transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const client = new Client({ name: 'gatehouse-oauth-test', version: '1.0.0' });
  try {
    await client.connect(transport);
    throw new Error('the gateway accepted a connection without a token');
  } catch (error) {
    if (!(error instanceof UnauthorizedError) || !provider.authorizationUrl) throw error;
  }
  const code = await login(provider.authorizationUrl);
  await transport.finishAuth(code);
  transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  const authorized = new Client({ name: 'gatehouse-oauth-test', version: '1.0.0' });
  await authorized.connect(transport);
  const result = await authorized.listTools();
  console.log(JSON.stringify({
    tools: result.tools.map((t) => t.name),
    registeredClientId: provider.clientInformation()?.client_id,
    resource: provider.authorizationUrl.searchParams.get('resource'),
    tokenType: provider.tokens()?.token_type,
  }));
  await authorized.close();
}

main().catch((error) => { console.error(error?.stack ?? String(error)); process.exit(1); });

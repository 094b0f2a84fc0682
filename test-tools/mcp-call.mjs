// A real MCP client for the first-run tests: the official TypeScript SDK client connects to the gateway with a
// bearer token (from the environment variable GATEHOUSE_TOKEN, never on the command line), initialises, lists the
// tools and calls one.
//
// Usage: GATEHOUSE_TOKEN=... node mcp-call.mjs <mcp-url> <tool> [json-arguments]
// Prints one JSON line: {"tools": [...names], "result": <the CallToolResult>}; exits 1 on failure.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [mcpUrl, tool, json] = process.argv.slice(2);
const token = process.env.GATEHOUSE_TOKEN;
if (!mcpUrl || !tool || !token) {
  console.error('usage: GATEHOUSE_TOKEN=... node mcp-call.mjs <mcp-url> <tool> [json-arguments]');
  process.exit(2);
}

async function main() {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'gatehouse-first-run', version: '1.0.0' });
  await client.connect(transport);
  const tools = await client.listTools();
  const result = await client.callTool({ name: tool, arguments: json ? JSON.parse(json) : {} });
  console.log(JSON.stringify({ tools: tools.tools.map((t) => t.name), result }));
  await client.close();
}

main().catch((error) => { console.error(error?.stack ?? String(error)); process.exit(1); });

package dev.gatehouse.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before any load: one call of each tool (JSON, one-event SSE, streaming SSE with progress, delayed) through each
 * treatment, each answer checked. Waits first until the gateway's catalog offers the bench target. A failure
 * through the gateway stops the run: a benchmark of errors measures nothing.
 */
final class ProtocolCheck {

	private static final List<String> TOOLS = List.of("json", "sse1", "stream", "slow");

	private final Stack stack;

	private final List<String> treatments;

	private final PrintStream log;

	ProtocolCheck(Stack stack, List<String> treatments, PrintStream log) {
		this.stack = stack;
		this.treatments = treatments;
		this.log = log;
	}

	void run(Map<String, Object> results) throws IOException {
		awaitGatewayCatalog();
		Map<String, Object> checks = new LinkedHashMap<>();
		for (String treatment : this.treatments) {
			Map<String, String> outcome = new LinkedHashMap<>();
			for (String tool : TOOLS) {
				outcome.put(tool, check(treatment, tool));
			}
			checks.put(treatment, outcome);
			this.log.println("bench: protocol check " + treatment + ": " + outcome);
			if (!outcome.values().stream().allMatch("ok"::equals)) {
				results.put("protocolChecks", checks);
				throw new IOException("the protocol check through " + treatment + " failed: " + outcome);
			}
		}
		results.put("protocolChecks", checks);
	}

	private String check(String treatment, String tool) {
		McpRequests requests = requests(treatment);
		String name = treatment.equals(Summary.GATEWAY) ? StackFiles.BENCH_TARGET + "___" + tool : tool;
		try (McpClient client = McpClient.open(requests, name, 1, tool.equals("stream"))) {
			return client.call() ? "ok" : "failed: " + client.lastBody();
		}
		catch (IOException ex) {
			return "failed: " + ex;
		}
	}

	private McpRequests requests(String treatment) {
		return switch (treatment) {
			case Summary.DIRECT -> new McpRequests(this.stack.upstreamPort, null);
			case Summary.NGINX -> new McpRequests(this.stack.nginxPort, null);
			default -> new McpRequests(this.stack.gatewayPort, this.stack.token);
		};
	}

	/** The catalog is synchronised in the background after start: retry for up to 90 s. */
	private void awaitGatewayCatalog() throws IOException {
		long deadline = System.nanoTime() + 90_000_000_000L;
		String last = "";
		while (System.nanoTime() < deadline) {
			String outcome = check(Summary.GATEWAY, "json");
			if (outcome.equals("ok")) {
				return;
			}
			last = outcome;
			if (!this.stack.gateway.isAlive()) {
				break;
			}
			Processes.sleep(500);
		}
		throw new IOException("the gateway never answered a bench tool call: " + last);
	}

}

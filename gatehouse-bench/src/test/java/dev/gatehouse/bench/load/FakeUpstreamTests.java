package dev.gatehouse.bench.load;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake upstream and the load client against each other on loopback (no timing is asserted). */
class FakeUpstreamTests {

	private FakeUpstream upstream;

	private McpRequests requests;

	@BeforeEach
	void start() throws IOException {
		this.upstream = FakeUpstream.start(0, 256, 4, 1, false);
		this.requests = new McpRequests(this.upstream.port(), null);
	}

	@AfterEach
	void stop() throws IOException {
		this.upstream.close();
	}

	@Test
	void initializeAnswersWithASessionIdAndTheRequestedVersion() throws IOException {
		try (HttpConnection connection = HttpConnection.open(this.upstream.port())) {
			assertThat(connection.exchange(this.requests.initialize())).isEqualTo(200);
			assertThat(connection.sessionId()).isEqualTo(UpstreamResponses.SESSION_ID);
			assertThat(connection.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-11-25\"");
			assertThat(connection.exchange(this.requests.initialized(connection.sessionId()))).isEqualTo(202);
		}
	}

	@Test
	void toolsCallJsonEchoesTheIdWithAResultOfThePayloadSize() throws IOException {
		try (HttpConnection connection = HttpConnection.open(this.upstream.port())) {
			assertThat(connection.exchange(this.requests.toolsCall("s", "json", 77, false))).isEqualTo(200);
			assertThat(connection.body()).startsWith("{\"jsonrpc\":\"2.0\",\"id\":77,\"result\":{\"content\"")
				.contains(UpstreamResponses.text(256) + "\"");
		}
	}

	@Test
	void toolsCallStreamSendsProgressWithTheCallersTokenThenTheResult() throws IOException {
		try (HttpConnection connection = HttpConnection.open(this.upstream.port())) {
			assertThat(connection.exchange(this.requests.toolsCall("s", "stream", 5, true))).isEqualTo(200);
			String body = connection.body();
			assertThat(body.split("event: message\n")).hasSize(5);
			assertThat(body).contains("\"progressToken\":5,\"progress\":3,\"total\":4")
				.endsWith("\"isError\":false}}\n\n");
		}
	}

	@Test
	void toolsCallSse1AnswersOneEvent() throws IOException {
		try (HttpConnection connection = HttpConnection.open(this.upstream.port())) {
			assertThat(connection.exchange(this.requests.toolsCall("s", "sse1", 9, false))).isEqualTo(200);
			assertThat(connection.body()).startsWith("event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":9,");
		}
	}

	@Test
	void getAnswers405AndTheConnectionStaysUsable() throws IOException {
		try (HttpConnection connection = HttpConnection.open(this.upstream.port())) {
			assertThat(connection.exchange(this.requests.stream("s"))).isEqualTo(405);
			assertThat(connection.exchange(this.requests.toolsCall("s", "json", 1, false))).isEqualTo(200);
		}
	}

	@Test
	void mcpClientCallsAgainAndAgainOnOneSession() throws IOException {
		for (String tool : new String[] { "json", "sse1", "stream", "slow" }) {
			try (McpClient client = McpClient.open(this.requests, tool, 3, tool.equals("stream"))) {
				assertThat(client.sessionId()).isEqualTo(UpstreamResponses.SESSION_ID);
				for (int i = 0; i < 20; i++) {
					assertThat(client.call()).as(tool).isTrue();
				}
			}
		}
	}

	@Test
	void statsCountWhatTheUpstreamReceived() throws IOException {
		Map<String, Long> before = UpstreamStats.fetch(this.upstream.port());
		try (McpClient client = McpClient.open(this.requests, "json", 1, false)) {
			client.call();
			client.call();
		}
		Map<String, Double> perCall = UpstreamStats.perCall(before, UpstreamStats.fetch(this.upstream.port()), 2);
		assertThat(perCall).containsEntry("toolsCall", 1.0)
			.containsEntry("initialize", 0.5)
			.containsEntry("notification", 0.5)
			.containsEntry("connection", 1.0)
			.doesNotContainKey("get");
	}

	@Test
	void closedLoopCountsEveryCallWithoutErrors() throws IOException {
		LoadResult result = LoadRunner.closedLoop((i) -> McpClient.open(this.requests, "json", i + 1, false), 4,
				LoadBench.millis(50), LoadBench.millis(200));
		assertThat(result.requests()).isPositive();
		assertThat(result.errors()).isZero();
		assertThat(result.allCalls()).isGreaterThanOrEqualTo(result.requests());
		assertThat(result.latency().count()).isEqualTo(result.requests());
	}

	@Test
	void openLoopMakesTheScheduledCalls() throws IOException {
		LoadResult result = LoadRunner.openLoop((i) -> McpClient.open(this.requests, "json", i + 1, false), 2, 200,
				0, LoadBench.millis(250));
		// 200 calls/s for 250 ms: exactly the 50 scheduled calls, however late any of them ran
		assertThat(result.requests()).isEqualTo(50);
		assertThat(result.errors()).isZero();
	}

}

package dev.gatehouse.server.mcp;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.Prometheus;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /mcp} is timed by {@link McpRequestTimer} ({@code gatehouse_mcp_http_requests_seconds} by method and
 * status), not by Spring's {@code http.server.requests} observation, which still times every other path (ADR 0012).
 */
class McpRequestTimerTests {

	static final String METRIC = "gatehouse_mcp_http_requests_seconds_count";

	static TestUpstream upstream;

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		gateway = TestGateway.builder().start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		upstream.close();
	}

	@Test
	void eachPostIsTimedWithItsStatus() {
		McpTestClient agent = gateway.client();
		agent.initialize();
		double ok = count("POST", "200");
		double unsupported = count("POST", "415");

		assertThat(agent.result("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}")).isNotNull();
		McpTestClient.Reply refused = agent.post(McpTestClient.envelope(9, "tools/list", null),
				Map.of("Content-Type", "text/plain"));

		assertThat(refused.status()).isEqualTo(415);
		assertThat(count("POST", "200")).isEqualTo(ok + 1);
		assertThat(count("POST", "415")).isEqualTo(unsupported + 1);
	}

	@Test
	void aHeldStreamIsTimedWhenItEnds() {
		McpTestClient agent = gateway.client();
		agent.initialize();
		double before = count("GET", "200");
		HttpResponse<Stream<String>> stream = agent.openStream();
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(count("GET", "200")).as("not while it is held").isEqualTo(before);

		assertThat(agent.delete().status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(10)).until(() -> count("GET", "200") == before + 1);
		stream.body().close();
	}

	@Test
	void springsHttpServerRequestsTimesOtherPathsButNotMcp() {
		gateway.client().initialize();
		assertThat(gateway.admin().get("/admin/api/targets").status()).isEqualTo(200);

		Prometheus scrape = Prometheus.scrape(gateway.baseUrl());
		assertThat(scrape.value("http_server_requests_seconds_count", "uri", "/admin/api/targets")).isPositive();
		assertThat(scrape.find("http_server_requests_seconds_count", Map.of("uri", "/mcp"))).isEmpty();
		assertThat(scrape.value(METRIC, "method", "POST")).isPositive();
	}

	private static double count(String method, String status) {
		return Prometheus.scrape(gateway.baseUrl()).value(METRIC, "method", method, "status", status);
	}
}

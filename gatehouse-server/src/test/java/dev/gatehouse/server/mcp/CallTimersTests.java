package dev.gatehouse.server.mcp;

import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import dev.gatehouse.server.upstream.UpstreamClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every forwarded call schedules a keep-alive pinger (every 25 s) and a hard deadline (15 min). When the call ends
 * both are cancelled and must leave their timer queues at once: kept until their delay passed, each held what it
 * captured (the response channel; the upstream request with its body and credential), millions of entries under
 * load.
 */
class CallTimersTests {

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
	void finishedCallsLeaveNoTimersBehind() {
		McpTestClient agent = gateway.client();
		agent.initialize();
		for (int i = 0; i < 20; i++) {
			assertThat(agent.result("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}")).isNotNull();
		}

		assertThat(gateway.bean(Forwarder.class).pendingTimers()).as("keep-alive pingers").isZero();
		assertThat(gateway.bean(UpstreamClient.class).pendingTimers()).as("call deadlines").isZero();
	}
}

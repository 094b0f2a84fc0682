package dev.gatehouse.server.monitor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.gatehouse.server.testing.Prometheus;
import dev.gatehouse.server.testing.RawHttp;
import dev.gatehouse.server.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The management endpoints beyond health need the management token ({@code gatehouse.management.token}); a
 * refusal is a 401 problem that names what is needed and carries no metric; health stays open; without a token
 * configured they are closed; a literal value in place of a reference stops the start without being echoed.
 */
class ManagementEndpointsTests {

	static TestGateway gateway;

	@BeforeAll
	static void start() {
		gateway = TestGateway.builder().start();
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	@Test
	void prometheusWhenTokenIsRightThenMetrics() {
		Prometheus scrape = Prometheus.scrape(gateway.baseUrl());
		assertThat(scrape.text()).contains("jvm_memory_used_bytes");
		RawHttp.Response lowerCase = get("/actuator/prometheus", "bearer " + TestGateway.MANAGEMENT_TOKEN);
		assertThat(lowerCase.status()).isEqualTo(200);
		RawHttp.Response byAddress = RawHttp.get(gateway.port(), "/actuator/prometheus", "10.0.0.7:9100",
				Map.of("Authorization", "Bearer " + TestGateway.MANAGEMENT_TOKEN));
		assertThat(byAddress.status()).as("Prometheus may scrape by address").isEqualTo(200);
		assertThat(RawHttp.get(gateway.port(), "/actuator/prometheus", "10.0.0.7:9100", Map.of()).status())
			.isEqualTo(401);
	}

	@Test
	void managementEndpointsWhenTokenMissingOrWrongThen401WithoutMetrics() {
		String[] paths = { "/actuator/prometheus", "/actuator", "/actuator/info", "/actuator/metrics",
				"/actuator/prometheus/", "/actuator/env" };
		String[] headers = { null, "Bearer ", "Bearer wrong-token", "Basic " + TestGateway.MANAGEMENT_TOKEN,
				"Bearer " + TestGateway.MANAGEMENT_TOKEN + "x", TestGateway.MANAGEMENT_TOKEN };
		for (String path : paths) {
			for (String header : headers) {
				RawHttp.Response refused = get(path, header);
				assertThat(refused.status()).as(path + " with " + header).isEqualTo(401);
				assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse-management\"");
				assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
				assertThat(refused.body()).contains("management token").doesNotContain("jvm_")
					.doesNotContain("gatehouse_").doesNotContain(TestGateway.MANAGEMENT_TOKEN);
			}
		}
	}

	@Test
	void healthWhenNoTokenThenOpen() {
		assertThat(get("/actuator/health", null).status()).isEqualTo(200);
		assertThat(get("/actuator/health", null).body()).contains("UP");
		assertThat(get("/actuator/health/liveness", null).status()).isEqualTo(200);
	}

	@Test
	void managementEndpointsWhenNoTokenConfiguredThenClosedAndHealthOpen() {
		try (TestGateway closed = TestGateway.builder().property("gatehouse.management.token", null).start()) {
			RawHttp.Response refused = RawHttp.get(closed.port(), "/actuator/prometheus", "127.0.0.1:" + closed.port(),
					Map.of("Authorization", "Bearer " + TestGateway.MANAGEMENT_TOKEN));
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.body()).contains("no management token is configured (gatehouse.management.token)")
				.doesNotContain("jvm_");
			assertThat(RawHttp.get(closed.port(), "/actuator/health", "127.0.0.1", Map.of()).status()).isEqualTo(200);
		}
	}

	@Test
	void managementEndpointsWhenTokenFileIsMissingThen401AndNoMetrics() throws Exception {
		Path missing = Files.createTempDirectory("gatehouse-mgmt").resolve("absent.token");
		try (TestGateway broken = TestGateway.builder().property("gatehouse.management.token", "file:" + missing)
			.start()) {
			RawHttp.Response refused = RawHttp.get(broken.port(), "/actuator/prometheus", "127.0.0.1",
					Map.of("Authorization", "Bearer anything"));
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.body()).contains("not available on this instance").doesNotContain(missing.toString())
				.doesNotContain("jvm_");
		}
	}

	@Test
	void startWhenTokenIsALiteralValueThenFailsWithoutEchoingIt() {
		assertThatThrownBy(() -> TestGateway.builder().property("gatehouse.management.token", "hunter2-literal").start())
			.rootCause()
			.hasMessage("gatehouse.management.token must be a reference, env:NAME or file:PATH, not a value")
			.hasMessageNotContaining("hunter2");
	}

	private static RawHttp.Response get(String path, String authorization) {
		return RawHttp.get(gateway.port(), path, "127.0.0.1:" + gateway.port(),
				(authorization != null) ? Map.of("Authorization", authorization) : Map.of());
	}
}

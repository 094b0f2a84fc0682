package dev.gatehouse.server.monitor;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.demo.conformance.ConformanceFixture;
import dev.gatehouse.demo.host.McpServerHost;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.FakeMcpServer;
import dev.gatehouse.server.testing.McpTestClient;
import dev.gatehouse.server.testing.McpTestClient.Reply;
import dev.gatehouse.server.testing.Prometheus;
import dev.gatehouse.server.testing.TestGateway;
import dev.gatehouse.server.testing.TestUpstream;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tool-call telemetry through a real gateway with tracing on: Prometheus metrics by target, tool and outcome
 * with the gateway's own time split from the wait for the target, the same split in the audit record and the
 * {@code Server-Timing} header, open sessions, and one span per call whose child is the call to the target, with
 * the W3C {@code traceparent} the target received.
 */
class ToolCallTelemetryTests {

	static final Pattern SERVER_TIMING = Pattern
		.compile("gw;dur=(\\d+\\.\\d{3})(?:, upstream;dur=(\\d+\\.\\d{3}))?");

	static final InMemorySpanExporter spans = InMemorySpanExporter.create();

	static TestUpstream upstream;

	static McpServerHost fixture;

	static FakeMcpServer recorder;

	static TestGateway gateway;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		upstream = TestUpstream.start();
		fixture = ConformanceFixture.host().start();
		recorder = FakeMcpServer.start((m) -> new FakeMcpServer.Answer(200, "application/json",
				"{\"jsonrpc\":\"2.0\",\"id\":" + m.get("id") + ",\"result\":{\"content\":[{\"type\":\"text\","
						+ "\"text\":\"recorded\"}]}}"));
		gateway = TestGateway.builder()
			.property("gatehouse.tracing.enabled", "true")
			.bean("inMemorySpanExporter", spans)
			.start();
		gateway.admin().register("{\"name\":\"up\",\"endpoint\":\"" + upstream.url() + "\"}");
		gateway.admin().register("{\"name\":\"fx\",\"endpoint\":\"" + fixture.url() + "\"}");
		gateway.admin().register("{\"name\":\"rec\",\"endpoint\":\"" + recorder.url() + "\"}");
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		gateway.close();
		upstream.close();
		fixture.close();
		recorder.close();
	}

	@BeforeEach
	void clear() {
		spans.reset();
	}

	@Test
	void toolCallsAreCountedByTargetToolAndOutcomeWithGatewayAndUpstreamTimeApart() {
		McpTestClient client = gateway.client();
		client.initialize();
		audit.clear();
		Prometheus before = Prometheus.scrape(gateway.baseUrl());
		for (int i = 0; i < 3; i++) {
			client.result("tools/call", "{\"name\":\"up___echo\",\"arguments\":{\"text\":\"hi\"}}");
		}
		client.result("tools/call", "{\"name\":\"up___fail\",\"arguments\":{}}");
		client.request("tools/call", "{\"name\":\"up___boom\",\"arguments\":{}}");
		client.request("tools/call", "{\"name\":\"nowhere___nothing\",\"arguments\":{}}");

		Prometheus after = Prometheus.scrape(gateway.baseUrl());
		Delta delta = new Delta(before, after);
		assertThat(delta.of("gatehouse_tool_calls_seconds_count", "target", "up", "tool", "up___echo", "outcome",
				"success")).isEqualTo(3);
		assertThat(delta.of("gatehouse_tool_calls_seconds_count", "target", "up", "tool", "up___fail", "outcome",
				"tool_error")).isEqualTo(1);
		assertThat(delta.of("gatehouse_tool_calls_seconds_count", "target", "up", "tool", "up___boom", "outcome",
				"upstream_error")).isEqualTo(1);
		assertThat(delta.of("gatehouse_tool_calls_seconds_count", "target", "-", "tool", "-", "outcome",
				"unknown_tool")).as("a made-up name is not a tag value").isEqualTo(1);
		assertThat(after.text()).doesNotContain("nowhere___nothing");

		assertThat(delta.of("gatehouse_tool_call_gateway_seconds_count", "target", "up", "outcome", "success"))
			.isEqualTo(3);
		assertThat(delta.of("gatehouse_tool_call_gateway_seconds_count", "target", "-", "outcome", "unknown_tool"))
			.isEqualTo(1);
		assertThat(delta.of("gatehouse_tool_call_upstream_seconds_count", "target", "up"))
			.as("echo ×3, fail and boom waited for the target").isEqualTo(5);
		assertThat(after.value("gatehouse_tool_call_upstream_seconds_count", "target", "-"))
			.as("the unknown tool reached no target").isZero();
		assertThat(after.find("gatehouse_tool_call_gateway_seconds_bucket",
				Map.of("target", "up", "outcome", "success", "le", "0.001"))).hasSize(1);
		assertThat(delta.of("gatehouse_tool_call_upstream_seconds_bucket", "target", "up", "le", "+Inf")).isEqualTo(5);
		assertThat(delta.of("gatehouse_tool_call_upstream_seconds_sum", "target", "up")).isPositive();

		await().until(() -> audit.ofType("tool_call").size() >= 6);
		List<JsonNode> echoes = audit.ofType("tool_call").stream()
			.filter((r) -> "up___echo".equals(r.path("tool").asString(null)))
			.toList();
		assertThat(echoes).hasSize(3).allSatisfy((r) -> assertThat(r.get("upstream_latency_us").asLong()).isPositive()
			.isLessThanOrEqualTo(r.get("latency_us").asLong()));
		assertThat(after.find("gatehouse_audit_queue_depth", Map.of())).hasSize(1);
		assertThat(after.find("gatehouse_vault_grants", Map.of("status", "active"))).singleElement()
			.extracting(Prometheus.Sample::value).isEqualTo(0.0);
		assertThat(after.find("gatehouse_mcp_held_streams", Map.of())).hasSize(1);
	}

	/** The change of a metric between two scrapes. */
	record Delta(Prometheus before, Prometheus after) {

		double of(String name, String... labels) {
			return after.value(name, labels) - before.value(name, labels);
		}
	}

	@Test
	void openSessionsCountInitialisedSessionsUntilTheyAreDeleted() {
		double before = Prometheus.scrape(gateway.baseUrl()).value("gatehouse_mcp_sessions_open");
		McpTestClient first = gateway.client();
		first.initialize();
		McpTestClient second = gateway.client();
		second.initialize();
		assertThat(Prometheus.scrape(gateway.baseUrl()).value("gatehouse_mcp_sessions_open")).isEqualTo(before + 2);
		assertThat(first.delete().status()).isEqualTo(200);
		assertThat(Prometheus.scrape(gateway.baseUrl()).value("gatehouse_mcp_sessions_open")).isEqualTo(before + 1);
	}

	@Test
	void jsonAnswersCarryServerTimingWithGatewayAndUpstreamTime() {
		McpTestClient client = gateway.client();
		Reply init = client.post(McpTestClient.envelope(1, "initialize", "{\"protocolVersion\":\"2025-11-25\","
				+ "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}"), Map.of());
		assertThat(timing(init).group(2)).as("initialize calls no target").isNull();
		client.initialize();

		Reply call = client.request("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}");
		assertThat(call.contentType()).startsWith("application/json");
		Matcher timing = timing(call);
		assertThat(Double.parseDouble(timing.group(1))).isNotNegative();
		assertThat(timing.group(2)).as("the call waited for its target").isNotNull();
		assertThat(Double.parseDouble(timing.group(2))).isPositive();

		Reply list = client.request("tools/list", "{}");
		assertThat(timing(list).group(2)).as("tools/list is answered from the catalog").isNull();
	}

	@Test
	void aStreamedAnswerCarriesTheTimingKnownWhenTheStreamStarted() {
		McpTestClient client = gateway.client();
		client.initialize();
		Reply reply = client.request("tools/call",
				"{\"name\":\"fx___test_tool_with_progress\",\"arguments\":{},\"_meta\":{\"progressToken\":7}}");
		assertThat(reply.isSse()).isTrue();
		Matcher timing = timing(reply);
		assertThat(timing.group(2)).as("the stream started while the target was working").isNotNull();
	}

	@Test
	void aToolCallIsOneSpanWithTheCallToTheTargetAsItsChildAndTheTargetGetsItsTraceparent() {
		McpTestClient client = gateway.client();
		client.initialize();
		int seen = recorder.headers().size();
		assertThat(client.result("tools/call", "{\"name\":\"rec___x\",\"arguments\":{\"secret\":\"s3cr3t\"}}")
			.toString()).contains("recorded");

		await().until(() -> spans.getFinishedSpanItems().stream().filter((s) -> s.getName().contains("rec")).count() >= 2);
		SpanData call = only(SpanKind.SERVER);
		SpanData upstreamCall = only(SpanKind.CLIENT);
		assertThat(call.getName()).isEqualTo("tools/call rec___x");
		assertThat(call.getParentSpanContext().isValid()).as("no traceparent from the agent: a root span").isFalse();
		assertThat(call.getAttributes().get(Tracing.TARGET)).isEqualTo("rec");
		assertThat(call.getAttributes().get(Tracing.TOOL)).isEqualTo("rec___x");
		assertThat(call.getAttributes().get(Tracing.UPSTREAM_TOOL)).isEqualTo("x");
		assertThat(call.getAttributes().get(Tracing.OUTCOME)).isEqualTo("success");
		assertThat(call.getAttributes().get(Tracing.SUBJECT)).isEqualTo("local-dev");
		assertThat(call.getAttributes().toString()).doesNotContain("s3cr3t");
		assertThat(upstreamCall.getParentSpanId()).isEqualTo(call.getSpanId());
		assertThat(upstreamCall.getTraceId()).isEqualTo(call.getTraceId());
		assertThat(upstreamCall.getAttributes().get(Tracing.TARGET)).isEqualTo("rec");

		List<String> traceparents = recorder.headers().subList(seen, recorder.headers().size()).stream()
			.map(ToolCallTelemetryTests::traceparent)
			.filter((t) -> t != null)
			.toList();
		assertThat(traceparents).as("the tools/call POST, and nothing else, carried a traceparent").hasSize(1);
		assertThat(traceparents.get(0))
			.isEqualTo("00-" + upstreamCall.getTraceId() + "-" + upstreamCall.getSpanId() + "-01");
	}

	@Test
	void anAgentsTraceparentBecomesTheParentOfTheCallsSpan() {
		McpTestClient client = gateway.client();
		client.initialize();
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String parentId = "00f067aa0ba902b7";
		int seen = recorder.headers().size();
		Reply reply = client.post(McpTestClient.envelope(9, "tools/call", "{\"name\":\"rec___x\",\"arguments\":{}}"),
				Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01"));
		assertThat(reply.status()).isEqualTo(200);

		await().until(() -> spans.getFinishedSpanItems().stream().filter((s) -> s.getName().contains("rec")).count() >= 2);
		SpanData call = only(SpanKind.SERVER);
		assertThat(call.getTraceId()).isEqualTo(traceId);
		assertThat(call.getParentSpanId()).isEqualTo(parentId);
		assertThat(only(SpanKind.CLIENT).getTraceId()).isEqualTo(traceId);
		assertThat(recorder.headers().subList(seen, recorder.headers().size()).stream()
			.map(ToolCallTelemetryTests::traceparent)
			.filter((t) -> t != null)).singleElement().asString().startsWith("00-" + traceId + "-");
	}

	@Test
	void aListRequestMakesNoSpanAndSendsNoTraceparent() {
		McpTestClient client = gateway.client();
		client.initialize();
		client.result("tools/list", "{}");
		client.result("tools/call", "{\"name\":\"up___count\",\"arguments\":{}}");
		await().until(() -> spans.getFinishedSpanItems().size() >= 2);
		assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getName)
			.contains("tools/call up___count", "tools/call up")
			.noneMatch((name) -> name.startsWith("tools/list"));
	}

	/** The one finished span of a kind about target {@code rec} (a span of an earlier test may end late). */
	private static SpanData only(SpanKind kind) {
		List<SpanData> ofKind = spans.getFinishedSpanItems()
			.stream()
			.filter((s) -> s.getKind() == kind && s.getName().contains("rec"))
			.toList();
		assertThat(ofKind).hasSize(1);
		return ofKind.get(0);
	}

	private static String traceparent(Map<String, List<String>> headers) {
		return headers.entrySet()
			.stream()
			.filter((e) -> e.getKey().equalsIgnoreCase("traceparent"))
			.map((e) -> e.getValue().get(0))
			.findFirst()
			.orElse(null);
	}

	private static Matcher timing(Reply reply) {
		String header = reply.header("Server-Timing");
		assertThat(header).as("Server-Timing on " + reply).isNotNull();
		Matcher matcher = SERVER_TIMING.matcher(header);
		assertThat(matcher.matches()).as(header).isTrue();
		return matcher;
	}
}

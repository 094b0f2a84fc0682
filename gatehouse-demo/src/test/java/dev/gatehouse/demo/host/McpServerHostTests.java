package dev.gatehouse.demo.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gatehouse.demo.RawHttp;
import dev.gatehouse.demo.TestClients;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class McpServerHostTests {

	@Test
	void startWhenPortZeroThenBindsEphemeralLoopbackPortAndPublishesMcpUrl() {
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start()) {
			assertThat(host.port()).isPositive();
			assertThat(host.url()).isEqualTo("http://127.0.0.1:" + host.port() + "/mcp");
			assertThat(host.baseUrl()).isEqualTo("http://127.0.0.1:" + host.port());
			assertThat(host.legacySse()).isFalse();
			assertThat(host.transportProvider()).isInstanceOf(HttpServletStreamableServerTransportProvider.class);
		}
	}

	@Test
	void startWhenNamedThenServerInfoCarriesNameAndVersion() {
		try (McpServerHost host = McpServerHost.builder()
			.name("weather")
			.version("2.3.4")
			.server(TestServers.counting(new AtomicInteger()))
			.start(); McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			assertThat(client.getServerInfo().name()).isEqualTo("weather");
			assertThat(client.getServerInfo().version()).isEqualTo("2.3.4");
		}
	}

	@Test
	void callToolWhenDefinedByCallerThenReachesHandler() {
		AtomicInteger calls = new AtomicInteger();
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(calls)).start();
				McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			CallToolResult result = client.callTool(CallToolRequest.builder("count").build());

			assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("1");
			assertThat(calls).hasValue(1);
		}
	}

	@Test
	void addToolWhenRunningThenClientSeesListChangedAndNewTool() throws InterruptedException {
		List<List<Tool>> changes = new CopyOnWriteArrayList<>();
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start();
				McpSyncClient client = TestClients.streamable(host, transport -> transport,
						spec -> spec.toolsChangeConsumer(changes::add))) {
			client.initialize();
			client.listTools();

			host.syncServer().addTool(TestServers.countingTool("late", new AtomicInteger()));
			host.syncServer().notifyToolsListChanged();

			assertThat(client.listTools().tools()).extracting(Tool::name).containsExactlyInAnyOrder("count", "late");
			awaitNonEmpty(changes);
			assertThat(changes.get(changes.size() - 1)).extracting(Tool::name).contains("late");

			host.syncServer().removeTool("late");
			assertThat(client.listTools().tools()).extracting(Tool::name).containsExactly("count");
		}
	}

	@Test
	void startWhenAsyncDefinitionThenServesItAndSyncServerIsUnavailable() {
		AsyncToolSpecification hello = AsyncToolSpecification.builder()
			.tool(Tool.builder("hello", Map.of("type", "object")).description("Says hello").build())
			.callHandler((exchange, request) -> Mono
				.just(CallToolResult.builder().addTextContent("hello").isError(false).build()))
			.build();
		try (McpServerHost host = McpServerHost.builder()
			.asyncServer(
					spec -> spec.capabilities(ServerCapabilities.builder().tools(true).build()).tools(hello).build())
			.start(); McpSyncClient client = TestClients.streamable(host)) {
			client.initialize();

			assertThat(client.callTool(CallToolRequest.builder("hello").build()).content())
				.containsExactly(new TextContent("hello"));
			assertThat(host.asyncServer()).isNotNull();
			assertThatIllegalStateException().isThrownBy(host::syncServer).withMessageContaining("async");
		}
	}

	@Test
	void postWhenOriginIsForeignThenRejectsWith403() {
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start()) {
			HttpResponse<String> response = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Origin",
					"http://evil.example.com");

			assertThat(response.statusCode()).isEqualTo(403);
		}
	}

	@Test
	void postWhenOriginIsLocalhostOr127WithAnyPortThenAccepts() {
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start()) {
			assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Origin", "http://127.0.0.1:" + host.port())
				.statusCode()).isEqualTo(200);
			assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Origin", "http://localhost:4321").statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void postWhenHostHeaderIsForeignThenRejectsWith421() {
		try (McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start()) {
			assertThat(RawHttp.initializeWithHost(host.port(), "evil.example.com")).isEqualTo(421);
			assertThat(RawHttp.initializeWithHost(host.port(), "localhost:" + host.port())).isEqualTo(200);
			assertThat(RawHttp.initializeWithHost(host.port(), "127.0.0.1:" + host.port())).isEqualTo(200);
		}
	}

	@Test
	void closeWhenSessionStillOpenThenStopsQuicklyAndFreesPort() {
		McpServerHost host = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start();
		McpSyncClient client = TestClients.streamable(host);
		client.initialize();
		int port = host.port();

		long started = System.nanoTime();
		host.close();
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(took).isLessThan(Duration.ofSeconds(3));
		assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
		host.close();
		client.close();
	}

	@Test
	void startWhenPortTakenThenFailsNamingThePort() {
		try (McpServerHost first = McpServerHost.builder().server(TestServers.counting(new AtomicInteger())).start()) {
			McpServerHost.Builder second = McpServerHost.builder()
				.port(first.port())
				.server(TestServers.counting(new AtomicInteger()));

			assertThatIllegalStateException().isThrownBy(second::start)
				.withMessageContaining("127.0.0.1:" + first.port());
		}
	}

	@Test
	void startWhenNoDefinitionThenFails() {
		assertThatIllegalStateException().isThrownBy(() -> McpServerHost.builder().start())
			.withMessageContaining("server definition");
	}

	@Test
	void builderWhenArgumentsInvalidThenRejects() {
		McpServerHost.Builder builder = McpServerHost.builder();

		assertThatIllegalArgumentException().isThrownBy(() -> builder.port(65536));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.port(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.name(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.apiKey("X API Key", "secret"));
		assertThatIllegalArgumentException().isThrownBy(() -> builder.apiKey("X-API-Key", ""));
		assertThatThrownBy(() -> builder.server(null)).isInstanceOf(NullPointerException.class)
			.hasMessage("definition must not be null");
	}

	private static void awaitNonEmpty(List<?> list) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (list.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		assertThat(list).as("list_changed notifications").isNotEmpty();
	}

}

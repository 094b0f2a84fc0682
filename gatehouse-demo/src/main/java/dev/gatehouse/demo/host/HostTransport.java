package dev.gatehouse.demo.host;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * One SDK servlet transport together with the paths it is mapped to and the factories for
 * server specifications bound to it. The SDK has two unrelated provider types (Streamable
 * HTTP and legacy HTTP+SSE) with separate {@code McpServer.sync(..)} overloads, so the
 * choice is captured here once.
 */
final class HostTransport {

	static final String MCP_ENDPOINT = "/mcp";

	static final String SSE_ENDPOINT = "/sse";

	static final String MESSAGE_ENDPOINT = "/message";

	private final HttpServlet servlet;

	private final McpServerTransportProviderBase provider;

	private final List<String> servletMappings;

	private final String clientEndpoint;

	private final Supplier<McpServer.SyncSpecification<?>> syncSpecification;

	private final Supplier<McpServer.AsyncSpecification<?>> asyncSpecification;

	private <P extends HttpServlet & McpServerTransportProviderBase> HostTransport(P servlet,
			List<String> servletMappings, String clientEndpoint,
			Supplier<McpServer.SyncSpecification<?>> syncSpecification,
			Supplier<McpServer.AsyncSpecification<?>> asyncSpecification) {
		this.servlet = servlet;
		this.provider = servlet;
		this.servletMappings = servletMappings;
		this.clientEndpoint = clientEndpoint;
		this.syncSpecification = syncSpecification;
		this.asyncSpecification = asyncSpecification;
	}

	/**
	 * Streamable HTTP (protocol revisions 2025-03-26 and later) on
	 * {@value #MCP_ENDPOINT}.
	 * @param contextExtractor what each request gives the SDK's transport context
	 */
	static HostTransport streamable(McpTransportContextExtractor<HttpServletRequest> contextExtractor) {
		HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
			.mcpEndpoint(MCP_ENDPOINT)
			.securityValidator(loopbackValidator())
			.contextExtractor(contextExtractor)
			.build();
		return new HostTransport(provider, List.of(MCP_ENDPOINT), MCP_ENDPOINT, () -> McpServer.sync(provider),
				() -> McpServer.async(provider));
	}

	/**
	 * The deprecated HTTP+SSE transport of protocol revision 2024-11-05: the client opens
	 * {@value #SSE_ENDPOINT}, receives an {@code endpoint} event naming
	 * {@value #MESSAGE_ENDPOINT}{@code ?sessionId=..} and POSTs its messages there.
	 * @param contextExtractor what each request gives the SDK's transport context
	 */
	static HostTransport legacySse(McpTransportContextExtractor<HttpServletRequest> contextExtractor) {
		HttpServletSseServerTransportProvider provider = HttpServletSseServerTransportProvider.builder()
			.sseEndpoint(SSE_ENDPOINT)
			.messageEndpoint(MESSAGE_ENDPOINT)
			.securityValidator(loopbackValidator())
			.contextExtractor(contextExtractor)
			.build();
		return new HostTransport(provider, List.of(SSE_ENDPOINT, MESSAGE_ENDPOINT), SSE_ENDPOINT,
				() -> McpServer.sync(provider), () -> McpServer.async(provider));
	}

	/**
	 * The transport context of a request: the {@link BearerCaller} that
	 * {@link BearerTokenFilter} verified, if any.
	 * @param request the request the SDK serves
	 * @return the context
	 */
	static McpTransportContext callerContext(HttpServletRequest request) {
		Object caller = request.getAttribute(BearerCaller.CONTEXT_KEY);
		return (caller instanceof BearerCaller) ? McpTransportContext.create(Map.of(BearerCaller.CONTEXT_KEY, caller))
				: McpTransportContext.EMPTY;
	}

	/**
	 * DNS-rebinding protection that admits both spellings of the loopback host with any
	 * port. The SDK's conformance template allows only {@code localhost}, which makes
	 * every request to {@code 127.0.0.1} fail with 403 (bad Origin) or 421 (bad Host).
	 */
	private static ServerTransportSecurityValidator loopbackValidator() {
		return DefaultServerTransportSecurityValidator.builder()
			.allowedOrigins(List.of("http://localhost:*", "http://127.0.0.1:*"))
			.allowedHosts(List.of("localhost:*", "127.0.0.1:*"))
			.build();
	}

	HttpServlet servlet() {
		return this.servlet;
	}

	McpServerTransportProviderBase provider() {
		return this.provider;
	}

	List<String> servletMappings() {
		return this.servletMappings;
	}

	/**
	 * The path a client connects to: the MCP endpoint, or the SSE endpoint for the legacy
	 * transport.
	 */
	String clientEndpoint() {
		return this.clientEndpoint;
	}

	McpServer.SyncSpecification<?> syncSpecification() {
		return Objects.requireNonNull(this.syncSpecification.get());
	}

	McpServer.AsyncSpecification<?> asyncSpecification() {
		return Objects.requireNonNull(this.asyncSpecification.get());
	}

}

package dev.gatehouse.server.mcp;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.server.access.AccessSettings;
import dev.gatehouse.server.access.InboundAuthenticator;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.config.GatehouseProperties;

import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@code /mcp} as its own servlet, beside Spring MVC's dispatcher: the hot path needs no handler
 * mapping, argument resolution or message converters.
 */
@Configuration(proxyBeanMethods = false)
class McpEndpointConfiguration {

	@Bean
	ServletRegistrationBean<McpServlet> mcpServlet(JsonRpcCodec codec, McpSessions sessions, McpDispatcher dispatcher,
			InboundAuthenticator authenticator, ServerRequestRelay relay, InFlightCalls inFlight, HeldStreams held,
			ServerIdentity identity, Catalog catalog, AccessSettings access, dev.gatehouse.server.audit.AuditTrail audit,
			GatehouseProperties properties, dev.gatehouse.server.monitor.Tracing tracing) {
		McpServlet servlet = new McpServlet(codec, sessions, dispatcher, authenticator, relay, inFlight, held, identity,
				catalog, access, audit, properties, tracing);
		ServletRegistrationBean<McpServlet> registration = new ServletRegistrationBean<>(servlet, "/mcp");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		registration.setName("mcp");
		return registration;
	}
}

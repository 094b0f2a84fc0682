package dev.gatehouse.server.mcp;

import dev.gatehouse.core.jsonrpc.JsonRpcCodec;
import dev.gatehouse.server.access.AccessSettings;
import dev.gatehouse.server.access.InboundAuthenticator;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.config.GatehouseProperties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

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

	/** Times {@code /mcp} requests ({@code gatehouse.mcp.http.requests}): see {@link McpRequestTimer}. */
	@Bean
	FilterRegistrationBean<McpRequestTimer> mcpRequestTimer(MeterRegistry registry) {
		FilterRegistrationBean<McpRequestTimer> registration = new FilterRegistrationBean<>(new McpRequestTimer(registry));
		registration.addUrlPatterns("/mcp");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

	/**
	 * Spring Boot's {@code http.server.requests} observation, as Boot registers it, except on {@code /mcp} (timed by
	 * {@link McpRequestTimer} instead; ADR 0012). Boot backs off when this bean exists.
	 */
	@Bean
	FilterRegistrationBean<ServerHttpObservationFilter> webMvcObservationFilter(ObservationRegistry registry,
			ObjectProvider<ServerRequestObservationConvention> customConvention, ObservationProperties properties) {
		String name = properties.getHttp().getServer().getRequests().getName();
		ServerRequestObservationConvention convention = customConvention
			.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name));
		FilterRegistrationBean<ServerHttpObservationFilter> registration = new FilterRegistrationBean<>(
				new ExceptMcp(registry, convention));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		return registration;
	}

	/** The observation filter, skipping {@code /mcp}. */
	static final class ExceptMcp extends ServerHttpObservationFilter {

		ExceptMcp(ObservationRegistry registry, ServerRequestObservationConvention convention) {
			super(registry, convention);
		}

		@Override
		protected boolean shouldNotFilter(HttpServletRequest request) {
			return "/mcp".equals(request.getServletPath());
		}
	}
}

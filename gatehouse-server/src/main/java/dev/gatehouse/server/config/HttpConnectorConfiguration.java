package dev.gatehouse.server.config;

import org.apache.catalina.connector.Connector;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sizes Tomcat's per-connection buffers for many long-lived connections. Each agent that holds a GET stream
 * (or a {@code subscriptions/listen} stream) keeps one connection, one request processor and their buffers for
 * hours; with Tomcat's defaults that is about 100 KiB of heap per held stream, most of it buffers sized for
 * bulk transfer (see {@code gatehouse.http.*} in {@code docs/configuration.md}). The request header limit
 * ({@code server.max-http-request-header-size}) and the response header limit
 * ({@code server.tomcat.max-http-response-header-size}) are left to Spring Boot.
 */
@Configuration(proxyBeanMethods = false)
class HttpConnectorConfiguration {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> gatehouseConnectorBuffers(
			GatehouseProperties properties) {
		GatehouseProperties.Http http = properties.http();
		return (factory) -> {
			factory.setProtocol(HeldStreamProtocol.class.getName());
			factory.addConnectorCustomizers((connector) -> applyTo(connector, http));
		};
	}

	static void applyTo(Connector connector, GatehouseProperties.Http http) {
		set(connector, "socket.appReadBufSize", http.socketReadBuffer().toBytes());
		set(connector, "socket.appWriteBufSize", http.socketWriteBuffer().toBytes());
		if (connector.getProtocolHandler() instanceof HeldStreamProtocol protocol) {
			protocol.setResponseBufferSize((int) http.responseBuffer().toBytes());
		}
	}

	private static void set(Connector connector, String name, long bytes) {
		if (!connector.setProperty(name, Long.toString(bytes))) {
			throw new IllegalStateException("Tomcat did not accept " + name + "=" + bytes);
		}
	}
}

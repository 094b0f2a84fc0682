package dev.gatehouse.server.upstream;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.egress.EgressDnsResolver;
import dev.gatehouse.server.egress.EgressPolicy;
import dev.gatehouse.server.monitor.Tracing;
import jakarta.annotation.PreDestroy;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.stereotype.Component;

/**
 * The pooled HTTP/1.1 client every upstream call uses: keep-alive, {@code TCP_NODELAY}, connections resolved
 * through the egress policy, no redirects (a redirect could lead past the egress policy), no cookies (they
 * would be shared between users), no automatic retries (a retried {@code tools/call} could run twice). Every
 * request carries the W3C trace context of the current span, when tracing is on. Thread-safe.
 */
@Component
public final class UpstreamHttp {

	private final PoolingHttpClientConnectionManager connections;

	private final CloseableHttpClient client;

	private final Tracing tracing;

	public UpstreamHttp(GatehouseProperties properties, EgressPolicy egress, Tracing tracing) {
		this.tracing = tracing;
		GatehouseProperties.Upstream upstream = properties.upstream();
		this.connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(new EgressDnsResolver(egress))
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(upstream.connectTimeout()))
				.setValidateAfterInactivity(TimeValue.ofSeconds(2))
				.setTimeToLive(TimeValue.ofMinutes(10))
				.build())
			.setMaxConnPerRoute(upstream.maxConnectionsPerTarget())
			.setMaxConnTotal(Math.max(upstream.maxConnectionsPerTarget() * 8, 256))
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(connections)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.disableContentCompression()
			.setUserAgent("Gatehouse")
			.evictIdleConnections(TimeValue.ofSeconds(55))
			.build();
	}

	/**
	 * Sends a request and returns the open response, whose entity the caller must consume or close.
	 * @param idleTimeout the longest wait for the next bytes of the response
	 */
	ClassicHttpResponse execute(HttpUriRequestBase request, Duration idleTimeout) throws IOException {
		// W3C traceparent of the current span (the call's client span), when tracing is on and there is one.
		tracing.inject(request::setHeader);
		request.setConfig(RequestConfig.custom()
			.setResponseTimeout(Timeout.of(idleTimeout))
			.setConnectionRequestTimeout(Timeout.of(10, TimeUnit.SECONDS))
			.setRedirectsEnabled(false)
			.build());
		try {
			return client.executeOpen(null, request, null);
		}
		catch (NoHttpResponseException ex) {
			// A pooled keep-alive connection the target had already closed (it restarted, or an idle timeout):
			// the target closed it without reading the request, so sending it once more on a new connection
			// cannot run it twice. Any other failure is not retried.
			// Its siblings in the pool are likely stale too: drop the idle ones before the retry.
			if (request.isCancelled()) {
				throw ex;
			}
			connections.closeIdle(TimeValue.ZERO_MILLISECONDS);
			return client.executeOpen(null, request, null);
		}
	}

	@PreDestroy
	void close() throws IOException {
		client.close();
		connections.close();
	}
}

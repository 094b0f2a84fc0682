package dev.gatehouse.server.egress;

import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * HTTP clients for the gateway's small outbound calls (identity provider metadata and keys, and later token
 * endpoints), resolved through the egress policy, with no redirects, no cookies and bounded timeouts.
 */
public final class EgressRestClients {

	private EgressRestClients() {
	}

	/** A {@link RestTemplate} whose connections pass the egress policy. */
	public static RestTemplate restTemplate(EgressPolicy policy, Duration timeout) {
		CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(new EgressDnsResolver(policy))
				.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(timeout))
					.setSocketTimeout(Timeout.of(timeout))
					.build())
				.setMaxConnPerRoute(8)
				.setMaxConnTotal(32)
				.build())
			.disableRedirectHandling()
			.disableCookieManagement()
			// One retry of idempotent requests (metadata, keys) on a connection the server had closed: the
			// default strategy never retries a POST.
			.setRetryStrategy(new DefaultHttpRequestRetryStrategy(1, TimeValue.ofMilliseconds(100)))
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.setUserAgent("Gatehouse")
			.build();
		return new RestTemplate(new HttpComponentsClientHttpRequestFactory(client));
	}
}

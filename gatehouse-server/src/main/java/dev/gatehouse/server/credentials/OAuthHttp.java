package dev.gatehouse.server.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.gatehouse.core.jsonrpc.Utf8Validator;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.egress.EgressDeniedException;
import dev.gatehouse.server.egress.EgressDnsResolver;
import dev.gatehouse.server.egress.EgressPolicy;
import jakarta.annotation.PreDestroy;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * HTTP for the gateway's calls to authorization servers and for discovery: metadata, token, revocation and
 * registration endpoints, and the unauthenticated probe of a target. Every connection passes the egress policy
 * (the URLs may come from a malicious target's metadata), no redirect is followed, cookies are never kept, bodies
 * are capped, and every call has a deadline. Thread-safe.
 */
@Component
final class OAuthHttp {

	/** The largest metadata or token response read. */
	static final int MAX_BODY = 256 * 1024;

	private final PoolingHttpClientConnectionManager connections;

	private final CloseableHttpClient client;

	private final EgressPolicy egress;

	private final Duration timeout;

	private final JsonMapper json = JsonMapper.builder().build();

	OAuthHttp(EgressPolicy egress, GatehouseProperties properties) {
		this.egress = egress;
		this.timeout = properties.oauth().httpTimeout();
		this.connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(new EgressDnsResolver(egress))
			.setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(properties.upstream().connectTimeout()))
				.setSocketTimeout(Timeout.of(timeout))
				.setValidateAfterInactivity(TimeValue.ofSeconds(2))
				.build())
			.setMaxConnPerRoute(16)
			.setMaxConnTotal(128)
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(connections)
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.disableAuthCaching()
			.setUserAgent("Gatehouse")
			.evictIdleConnections(TimeValue.ofSeconds(30))
			.build();
	}

	/**
	 * An answer: its status, its JSON body when it had one, and its {@code WWW-Authenticate} values.
	 *
	 * @param status the HTTP status
	 * @param body the parsed JSON body, or {@code null} when it was empty or not JSON
	 * @param challenges the {@code WWW-Authenticate} header values
	 */
	record Response(int status, @Nullable JsonNode body, List<String> challenges) {

		boolean ok() {
			return status >= 200 && status < 300;
		}
	}

	Response getJson(URI url) {
		HttpGet get = new HttpGet(url);
		get.setHeader("Accept", "application/json");
		return execute(get, true);
	}

	Response postForm(URI url, Map<String, String> form, Map<String, String> headers) {
		StringBuilder body = new StringBuilder();
		form.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&")
			.append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8))
			.append('=')
			.append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
		HttpPost post = new HttpPost(url);
		post.setHeader("Accept", "application/json");
		headers.forEach(post::setHeader);
		post.setEntity(new ByteArrayEntity(body.toString().getBytes(StandardCharsets.UTF_8),
				ContentType.APPLICATION_FORM_URLENCODED));
		return execute(post, false);
	}

	Response postJson(URI url, JsonNode body, Map<String, String> headers) {
		HttpPost post = new HttpPost(url);
		post.setHeader("Accept", "application/json");
		headers.forEach(post::setHeader);
		post.setEntity(new ByteArrayEntity(json.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
		return execute(post, false);
	}

	private Response execute(HttpUriRequestBase request, boolean idempotent) {
		URI url;
		try {
			url = request.getUri();
		}
		catch (java.net.URISyntaxException ex) {
			throw new OAuthHttpException(false, "not a valid URL");
		}
		try {
			egress.checkUrl(url);
		}
		catch (EgressDeniedException ex) {
			throw new OAuthHttpException(false, ex.getMessage());
		}
		request.setConfig(RequestConfig.custom()
			.setResponseTimeout(Timeout.of(timeout))
			.setConnectionRequestTimeout(Timeout.of(timeout.toMillis(), TimeUnit.MILLISECONDS))
			.setRedirectsEnabled(false)
			.build());
		try {
			return send(request);
		}
		catch (NoHttpResponseException ex) {
			// A pooled connection the server had closed: it read nothing, so one more try cannot act twice.
			connections.closeIdle(TimeValue.ZERO_MILLISECONDS);
			try {
				return send(request);
			}
			catch (IOException again) {
				throw failure(url, again);
			}
		}
		catch (IOException ex) {
			if (idempotent && !(ex instanceof EgressDeniedException)) {
				try {
					return send(request);
				}
				catch (IOException again) {
					throw failure(url, again);
				}
			}
			throw failure(url, ex);
		}
	}

	private Response send(HttpUriRequestBase request) throws IOException {
		try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
			List<String> challenges = new ArrayList<>();
			for (Header header : response.getHeaders("WWW-Authenticate")) {
				challenges.add(header.getValue());
			}
			JsonNode body = null;
			if (response.getEntity() != null) {
				try (InputStream in = response.getEntity().getContent()) {
					byte[] bytes = in.readNBytes(MAX_BODY + 1);
					if (bytes.length > MAX_BODY) {
						throw new OAuthHttpException(false, "the response of " + host(request) + " is larger than "
								+ (MAX_BODY / 1024) + " KiB");
					}
					body = parse(bytes);
				}
			}
			return new Response(response.getCode(), body, List.copyOf(challenges));
		}
	}

	private @Nullable JsonNode parse(byte[] bytes) {
		if (bytes.length == 0) {
			return null;
		}
		if (Utf8Validator.firstMalformed(bytes) >= 0) {
			return null; // not well-formed UTF-8: treated like any body that is not JSON
		}
		try {
			return json.readTree(bytes);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static OAuthHttpException failure(URI url, IOException ex) {
		if (ex instanceof EgressDeniedException) {
			return new OAuthHttpException(false, ex.getMessage());
		}
		String kind = (ex instanceof java.net.SocketTimeoutException) ? "did not answer in time"
				: "could not be reached (" + ex.getClass().getSimpleName() + ")";
		return new OAuthHttpException(true, url.getScheme() + "://" + url.getRawAuthority() + " " + kind);
	}

	private static String host(HttpUriRequestBase request) {
		try {
			return request.getUri().getRawAuthority();
		}
		catch (java.net.URISyntaxException ex) {
			return "the server";
		}
	}

	@PreDestroy
	void close() throws IOException {
		client.close();
		connections.close();
	}

	/**
	 * A call that failed before an HTTP answer: unreachable, too slow, refused by the egress policy, or too large.
	 * The message names the host, never a parameter.
	 */
	static final class OAuthHttpException extends RuntimeException {

		private final boolean transientFailure;

		OAuthHttpException(boolean transientFailure, String message) {
			super(message, null, false, false);
			this.transientFailure = transientFailure;
		}

		/** Whether trying again later may work (unreachable, timeout), unlike a policy refusal. */
		boolean isTransient() {
			return transientFailure;
		}
	}
}

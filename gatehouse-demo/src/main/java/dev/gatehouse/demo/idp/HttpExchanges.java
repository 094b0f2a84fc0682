package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * HTTP requests of {@link HeadlessLogin} on the JDK client. Redirects are never followed
 * (the caller follows them, so that it can stop at the client's redirect URI); a failure
 * to get any response becomes a {@link HeadlessLoginException} naming the step.
 */
final class HttpExchanges {

	private static final String FORM = "application/x-www-form-urlencoded";

	/**
	 * What a browser accepts on navigation. It matters: Spring Security does not save a
	 * request that accepts {@code application/json} for the redirect after login.
	 */
	private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	private static final String API_ACCEPT = "application/json";

	private final HttpClient client;

	private final Duration timeout;

	private final String accept;

	private HttpExchanges(HttpClient client, Duration timeout, String accept) {
		this.client = client;
		this.timeout = timeout;
		this.accept = accept;
	}

	/**
	 * Requests without cookies: discovery, registration, token requests.
	 */
	static HttpExchanges stateless(Duration timeout) {
		return new HttpExchanges(builder(timeout).build(), timeout, API_ACCEPT);
	}

	/**
	 * A browser-like session: cookies (the login session) are kept across requests.
	 */
	static HttpExchanges browser(Duration timeout) {
		return new HttpExchanges(
				builder(timeout).cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build(), timeout,
				BROWSER_ACCEPT);
	}

	private static HttpClient.Builder builder(Duration timeout) {
		return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout);
	}

	HttpResponse<String> get(URI uri, Step step) {
		return send(request(uri).GET().build(), step);
	}

	HttpResponse<String> postForm(URI uri, Map<String, List<String>> fields, @Nullable String basicAuthorization,
			Step step) {
		HttpRequest.Builder request = request(uri).header("Content-Type", FORM)
			.POST(HttpRequest.BodyPublishers.ofString(encode(fields)));
		if (basicAuthorization != null) {
			request.header("Authorization", basicAuthorization);
		}
		return send(request.build(), step);
	}

	HttpResponse<String> postJson(URI uri, String json, Step step) {
		return send(request(uri).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), step);
	}

	private HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(this.timeout).header("Accept", this.accept);
	}

	private HttpResponse<String> send(HttpRequest request, Step step) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new HeadlessLoginException(step, 0, null,
					request.method() + " " + withoutQuery(request.uri()) + ": " + ex.getClass().getSimpleName(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HeadlessLoginException(step, 0, null, "interrupted", ex);
		}
	}

	/**
	 * The URI without its query, for messages: queries carry codes and states.
	 */
	static String withoutQuery(URI uri) {
		String text = uri.toString();
		int query = text.indexOf('?');
		return (query < 0) ? text : text.substring(0, query);
	}

	static String encode(Map<String, List<String>> fields) {
		StringJoiner body = new StringJoiner("&");
		fields.forEach((name, values) -> values
			.forEach((value) -> body.add(urlEncode(name) + "=" + urlEncode(value))));
		return body.toString();
	}

	/**
	 * The {@code Authorization} header of {@code client_secret_basic}: id and secret are
	 * form-URL-encoded before base64, as RFC 6749 section 2.3.1 requires.
	 */
	static String basic(String clientId, String clientSecret) {
		String credentials = urlEncode(clientId) + ":" + urlEncode(clientSecret);
		return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	private static String urlEncode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

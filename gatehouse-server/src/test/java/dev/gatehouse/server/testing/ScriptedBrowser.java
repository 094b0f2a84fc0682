package dev.gatehouse.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * A scripted browser for flows where a real one adds nothing: a cookie jar, redirects followed one hop at a time
 * (so a test can stop before a hop, e.g. to keep a callback URL for a replay), and HTML forms submitted with their
 * hidden fields (CSRF tokens included), parsed with jsoup.
 */
public final class ScriptedBrowser {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * A page, or a redirect the browser stopped before following.
	 *
	 * @param status the HTTP status
	 * @param url the page's URL
	 * @param body the body
	 * @param location where a redirect points, when the browser stopped before following it, else {@code null}
	 * @param hops every URL requested on the way, in order
	 * @param headers the response headers of the last request
	 */
	public record Page(int status, URI url, String body, URI location, List<URI> hops, HttpHeaders headers) {

		/** The first value of a response header, or {@code null}. */
		public String header(String name) {
			return headers.firstValue(name).orElse(null);
		}

		public Document document() {
			return Jsoup.parse(body, url.toString());
		}

		public boolean isAt(String prefix) {
			return url.toString().startsWith(prefix);
		}
	}

	public CookieManager cookies() {
		return cookies;
	}

	/** Opens a URL and follows redirects to the final page. */
	public Page open(String url) {
		return open(url, (u) -> false);
	}

	/** Opens a URL and follows redirects, but stops before requesting a URL that {@code stopBefore} accepts. */
	public Page open(String url, Predicate<URI> stopBefore) {
		return follow(HttpRequest.newBuilder(URI.create(url)).GET().build(), stopBefore);
	}

	/** Submits the page's form {@code selector} with its fields, {@code values} overriding or adding some. */
	public Page submit(Page page, String selector, Map<String, String> values) {
		return submit(page, selector, values, (u) -> false);
	}

	public Page submit(Page page, String selector, Map<String, String> values, Predicate<URI> stopBefore) {
		Element form = page.document().selectFirst(selector);
		if (form == null) {
			throw new AssertionError("no form '" + selector + "' on " + page.url() + ":\n" + page.body());
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (Element input : form.select("input[name]")) {
			String type = input.attr("type");
			if (!type.equals("submit") && !type.equals("checkbox") || input.hasAttr("checked")) {
				fields.put(input.attr("name"), input.attr("value"));
			}
		}
		fields.putAll(values);
		URI action = URI.create(form.absUrl("action").isEmpty() ? page.url().toString() : form.absUrl("action"));
		StringBuilder body = new StringBuilder();
		fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&").append(encode(name)).append('=')
			.append(encode(value)));
		HttpRequest request = HttpRequest.newBuilder(action)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
		return follow(request, stopBefore);
	}

	/**
	 * Submits a form with one parameter repeated (Spring Authorization Server's consent form posts each approved
	 * {@code scope} separately), the form's other fields included.
	 */
	public Page submitRepeated(Page page, String selector, String name, List<String> values) {
		return submitRepeated(page, selector, name, values, (u) -> false);
	}

	public Page submitRepeated(Page page, String selector, String name, List<String> values,
			Predicate<URI> stopBefore) {
		Element form = page.document().selectFirst(selector);
		if (form == null) {
			throw new AssertionError("no form '" + selector + "' on " + page.url() + ":\n" + page.body());
		}
		StringBuilder body = new StringBuilder();
		for (Element input : form.select("input[name]")) {
			String type = input.attr("type");
			if (!input.attr("name").equals(name) && !type.equals("submit") && !type.equals("checkbox")) {
				body.append(body.length() == 0 ? "" : "&").append(encode(input.attr("name"))).append('=')
					.append(encode(input.attr("value")));
			}
		}
		for (String value : values) {
			body.append(body.length() == 0 ? "" : "&").append(encode(name)).append('=').append(encode(value));
		}
		URI action = URI.create(form.absUrl("action").isEmpty() ? page.url().toString() : form.absUrl("action"));
		HttpRequest request = HttpRequest.newBuilder(action)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
		return follow(request, stopBefore);
	}

	/**
	 * Posts a form this browser composed itself (with its cookies, but only the given fields: no hidden field of
	 * any page, so no CSRF token unless given), and follows redirects.
	 */
	public Page post(String url, Map<String, String> fields) {
		StringBuilder body = new StringBuilder();
		fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&").append(encode(name)).append('=')
			.append(encode(value)));
		return follow(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build(), (u) -> false);
	}

	/** Posts form fields to a path of the page's site, as a forged form would. */
	public Page submitTo(Page page, String path, Map<String, String> fields) {
		StringBuilder body = new StringBuilder();
		fields.forEach((name, value) -> body.append(body.length() == 0 ? "" : "&").append(encode(name)).append('=')
			.append(encode(value)));
		HttpRequest request = HttpRequest.newBuilder(page.url().resolve(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build();
		return follow(request, (u) -> false);
	}

	/** Fills and submits a login form ({@code username}, {@code password}). */
	public Page login(Page loginPage, String username, String password) {
		return submit(loginPage, "form", Map.of("username", username, "password", password));
	}

	private Page follow(HttpRequest first, Predicate<URI> stopBefore) {
		List<URI> hops = new ArrayList<>();
		HttpRequest request = first;
		for (int i = 0; i < 20; i++) {
			hops.add(request.uri());
			HttpResponse<String> response = send(request);
			String location = response.headers().firstValue("Location").orElse(null);
			if (response.statusCode() / 100 != 3 || location == null) {
				return new Page(response.statusCode(), request.uri(), response.body(), null, List.copyOf(hops),
						response.headers());
			}
			URI next = request.uri().resolve(location);
			if (stopBefore.test(next)) {
				return new Page(response.statusCode(), request.uri(), response.body(), next, List.copyOf(hops),
						response.headers());
			}
			request = HttpRequest.newBuilder(next).GET().build();
		}
		throw new AssertionError("more than 20 redirects: " + hops);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}
}

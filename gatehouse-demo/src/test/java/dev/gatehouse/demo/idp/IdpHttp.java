package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw HTTP against a {@link DemoIdentityProvider}, below {@link HeadlessLogin}, plus JWT
 * checks with Nimbus against the JWKS fetched over HTTP.
 */
final class IdpHttp {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private IdpHttp() {
	}

	static HttpResponse<String> get(String url, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request.build());
	}

	static HttpResponse<String> postJson(String url, String json) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	static HttpResponse<String> postForm(String url, Map<String, List<String>> fields, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(HttpExchanges.encode(fields)));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request.build());
	}

	/**
	 * Form fields from name/value pairs; a name may repeat.
	 */
	static Map<String, List<String>> form(String... pairs) {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			fields.computeIfAbsent(pairs[i], (name) -> new ArrayList<>()).add(pairs[i + 1]);
		}
		return fields;
	}

	/**
	 * Parses the query of a {@code Location} header (decoded values, first of each name).
	 */
	static Map<String, String> query(String location) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String query = URI.create(location).getRawQuery();
		if (query == null) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals),
					StandardCharsets.UTF_8);
			String value = (equals < 0) ? ""
					: URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
			parameters.putIfAbsent(name, value);
		}
		return parameters;
	}

	static HttpResponse<String> send(HttpRequest request) {
		try {
			return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/**
	 * Parses a JWT and checks its signature against the provider's JWKS, fetched over
	 * HTTP from the {@code jwks_uri} of its metadata.
	 */
	static SignedJWT verified(DemoIdentityProvider idp, String token) {
		try {
			String jwksUri = json(get(idp.issuer() + "/.well-known/oauth-authorization-server")).get("jwks_uri")
				.stringValue();
			HttpResponse<String> jwks = get(jwksUri);
			assertThat(jwks.statusCode()).isEqualTo(200);
			SignedJWT jwt = SignedJWT.parse(token);
			JWK key = JWKSet.parse(jwks.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
			assertThat(key).as("JWKS key for kid %s", jwt.getHeader().getKeyID()).isNotNull();
			assertThat(key.isPrivate()).as("JWKS publishes public keys only").isFalse();
			assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).as("signature").isTrue();
			return jwt;
		}
		catch (ParseException | JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The JSON payload of a JWT as sent, to check how claims are serialized.
	 */
	static JsonNode payload(String token) {
		try {
			return JSON.readTree(SignedJWT.parse(token).getPayload().toString());
		}
		catch (ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static RSAKey testKey(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

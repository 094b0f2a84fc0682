package dev.gatehouse.demo.host;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signing keys of the one trusted issuer: the JWK Set URI (given, or discovered from
 * the issuer's RFC 8414 metadata, else its OpenID Connect metadata, whose {@code issuer}
 * must be the issuer), and the key set, fetched on first use and fetched again when a
 * token names a key id the cached set lacks (key rotation). Thread-safe.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-3">RFC 8414
 * section 3</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7517#section-5">RFC 7517
 * section 5</a>
 */
final class IssuerKeys {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String issuer;

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(TIMEOUT)
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private volatile @Nullable URI jwkSetUri;

	private volatile @Nullable JWKSet keys;

	IssuerKeys(String issuer, @Nullable String jwkSetUri) {
		this.issuer = issuer;
		this.jwkSetUri = (jwkSetUri != null) ? URI.create(jwkSetUri) : null;
	}

	/**
	 * The keys that may have signed a token with this header: same key type as the
	 * algorithm, same {@code kid} if the header names one, for signing.
	 * @param header the token's header
	 * @return the candidates, possibly none
	 * @throws IOException if the keys were never fetched and cannot be now
	 */
	List<JWK> candidates(JWSHeader header) throws IOException {
		JWKSelector selector = new JWKSelector(new JWKMatcher.Builder()
			.keyType(KeyType.forAlgorithm(header.getAlgorithm()))
			.keyID(header.getKeyID())
			.keyUses(KeyUse.SIGNATURE, null)
			.algorithms(header.getAlgorithm(), null)
			.build());
		JWKSet cached = this.keys;
		if (cached != null) {
			List<JWK> found = selector.select(cached);
			if (!found.isEmpty() || header.getKeyID() == null) {
				return found;
			}
		}
		return selector.select(refresh(cached));
	}

	private synchronized JWKSet refresh(@Nullable JWKSet seen) throws IOException {
		JWKSet current = this.keys;
		if (current != null && current != seen) {
			// Another thread fetched them meanwhile.
			return current;
		}
		try {
			JWKSet fetched = JWKSet.parse(get(jwkSetUri()));
			this.keys = fetched;
			return fetched;
		}
		catch (ParseException ex) {
			throw new IOException("The JWK Set of " + this.issuer + " is not a JWK Set", ex);
		}
	}

	private URI jwkSetUri() throws IOException {
		URI known = this.jwkSetUri;
		if (known != null) {
			return known;
		}
		for (URI metadata : metadataUris()) {
			String jwksUri = jwksUriFrom(metadata);
			if (jwksUri != null) {
				URI discovered = URI.create(jwksUri);
				this.jwkSetUri = discovered;
				return discovered;
			}
		}
		throw new IOException("No metadata of " + this.issuer + " names a jwks_uri");
	}

	/**
	 * RFC 8414 section 3.1 (well-known suffix inserted before the issuer's path), then
	 * OpenID Connect Discovery section 4 (suffix appended).
	 */
	private List<URI> metadataUris() {
		URI issuerUri = URI.create(this.issuer);
		String path = (issuerUri.getRawPath() != null && !"/".equals(issuerUri.getRawPath()))
				? issuerUri.getRawPath() : "";
		String origin = issuerUri.getScheme() + "://" + issuerUri.getRawAuthority();
		String base = this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length() - 1) : this.issuer;
		return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + path),
				URI.create(base + "/.well-known/openid-configuration"));
	}

	private @Nullable String jwksUriFrom(URI metadataUri) {
		try {
			JsonNode metadata = JSON.readTree(get(metadataUri));
			JsonNode issued = metadata.get("issuer");
			JsonNode jwksUri = metadata.get("jwks_uri");
			if (issued != null && this.issuer.equals(issued.asString()) && jwksUri != null && jwksUri.isString()) {
				return jwksUri.stringValue();
			}
		}
		catch (IOException | JacksonException ex) {
			// try the next document
		}
		return null;
	}

	private String get(URI uri) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").build();
		try {
			HttpResponse<String> response = this.http.send(request,
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			if (response.statusCode() != 200) {
				throw new IOException("GET " + uri + " answered " + response.statusCode());
			}
			return response.body();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while fetching " + uri, ex);
		}
	}

	static boolean isAccepted(JWSAlgorithm algorithm) {
		return JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.ES256.equals(algorithm);
	}

}

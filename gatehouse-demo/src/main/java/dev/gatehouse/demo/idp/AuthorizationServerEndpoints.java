package dev.gatehouse.demo.idp;

import java.net.URI;
import java.net.http.HttpResponse;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.gatehouse.demo.idp.HeadlessLoginException.Step;

/**
 * The endpoints {@link HeadlessLogin} uses, read from the RFC 8414 metadata document
 * {@code <issuer>/.well-known/oauth-authorization-server}.
 *
 * @param authorization {@code authorization_endpoint}
 * @param token {@code token_endpoint}
 * @param registration {@code registration_endpoint}, if the server offers one
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8414#section-3">RFC 8414 section
 * 3</a>
 */
record AuthorizationServerEndpoints(URI authorization, URI token, @Nullable URI registration) {

	static final String METADATA_PATH = "/.well-known/oauth-authorization-server";

	static AuthorizationServerEndpoints discover(String issuer, HttpExchanges http) {
		URI metadataUri = URI.create(issuer + METADATA_PATH);
		HttpResponse<String> response = http.get(metadataUri, Step.DISCOVERY);
		if (response.statusCode() != 200) {
			throw new HeadlessLoginException(Step.DISCOVERY, response.statusCode(), null,
					"GET " + metadataUri + " did not return the metadata document");
		}
		JsonNode metadata = Json.read(response, Step.DISCOVERY);
		String issued = Json.text(metadata, "issuer");
		if (!issuer.equals(issued)) {
			// RFC 8414 section 3.3: the document must name the issuer it was fetched for.
			throw new HeadlessLoginException(Step.DISCOVERY, response.statusCode(), null,
					"metadata issuer '" + issued + "' is not '" + issuer + "'");
		}
		String registration = Json.text(metadata, "registration_endpoint");
		return new AuthorizationServerEndpoints(required(metadata, "authorization_endpoint"),
				required(metadata, "token_endpoint"), (registration != null) ? URI.create(registration) : null);
	}

	private static URI required(JsonNode metadata, String field) {
		String value = Json.text(metadata, field);
		if (value == null) {
			throw new HeadlessLoginException(Step.DISCOVERY, 200, null, "metadata has no " + field);
		}
		return URI.create(value);
	}

}

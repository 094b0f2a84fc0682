package dev.gatehouse.demo.host;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.gatehouse.demo.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens checked against an explicit JWK Set URI (no metadata discovery): ES256
 * and RS256 accepted, other algorithms refused, unreachable keys answered 503.
 */
class McpServerHostJwkSetTests {

	private static final String ISSUER = "https://issuer.example";

	private static final AtomicInteger calls = new AtomicInteger();

	private static ECKey ecKey;

	private static final RSAKey rsaKey = CraftedTokens.key("rsa-1");

	private static HttpServer jwks;

	private static McpServerHost host;

	@BeforeAll
	static void start() throws IOException, JOSEException {
		ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
		byte[] keys = new JWKSet(List.of(ecKey.toPublicJWK(), rsaKey.toPublicJWK())).toString()
			.getBytes(StandardCharsets.UTF_8);
		jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		jwks.createContext("/jwks", (exchange) -> {
			exchange.sendResponseHeaders(200, keys.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(keys);
			}
		});
		jwks.start();
		host = McpServerHost.builder()
			.bearerTokens(BearerTokenSettings.builder(ISSUER)
				.jwkSetUri("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks")
				.build())
			.server(TestServers.counting(calls))
			.start();
	}

	@AfterAll
	static void stop() {
		host.close();
		jwks.stop(0);
	}

	@Test
	void postWhenEs256TokenOfTheJwkSetThenAccepted() throws JOSEException {
		SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.ES256, "ec-1"), claims());
		jwt.sign(new ECDSASigner(ecKey));

		HttpResponse<String> response = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization",
				"Bearer " + jwt.serialize());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(host.observedTokens().get(host.observedTokens().size() - 1).subject()).isEqualTo("svc");
	}

	@Test
	void postWhenRs256TokenWithoutKeyIdThenAcceptedByTrialOfTheRsaKeys() throws JOSEException {
		SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.RS256, null), claims());
		jwt.sign(new RSASSASigner(rsaKey));

		assertThat(RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization", "Bearer " + jwt.serialize())
			.statusCode()).isEqualTo(200);
	}

	@Test
	void postWhenRs384ThenSignatureRejectionBeforeAnyKeyIsTried() throws JOSEException {
		SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.RS384, "rsa-1"), claims());
		jwt.sign(new RSASSASigner(rsaKey));

		HttpResponse<String> response = RawHttp.post(host.url(), RawHttp.INITIALIZE, "Authorization",
				"Bearer " + jwt.serialize());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
			.contains("error_description=\"The access token algorithm is not RS256 or ES256\"");
	}

	@Test
	void postWhenTheJwkSetCannotBeFetchedThen503AndNothingRuns() throws JOSEException {
		AtomicInteger otherCalls = new AtomicInteger();
		try (McpServerHost unreachable = McpServerHost.builder()
			.bearerTokens(BearerTokenSettings.builder(ISSUER).jwkSetUri("http://127.0.0.1:1/jwks").build())
			.server(TestServers.counting(otherCalls))
			.start()) {
			SignedJWT jwt = new SignedJWT(header(JWSAlgorithm.ES256, "ec-1"), claims(unreachable.url()));
			jwt.sign(new ECDSASigner(ecKey));

			HttpResponse<String> response = RawHttp.post(unreachable.url(), RawHttp.INITIALIZE, "Authorization",
					"Bearer " + jwt.serialize());

			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.body()).contains("temporarily_unavailable");
			assertThat(unreachable.observedTokens().get(0).rejection()).isEqualTo("keys_unavailable");
			assertThat(otherCalls).hasValue(0);
		}
	}

	private static JWSHeader header(JWSAlgorithm algorithm, String keyId) {
		return new JWSHeader.Builder(algorithm).type(new JOSEObjectType("at+jwt")).keyID(keyId).build();
	}

	private static JWTClaimsSet claims() {
		return claims(host.url());
	}

	private static JWTClaimsSet claims(String audience) {
		return CraftedTokens.claims(ISSUER, audience, Instant.now()).subject("svc").build();
	}

}

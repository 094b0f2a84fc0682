package dev.gatehouse.demo.idp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A client's key pairs (RS256 and ES256) and its JWK Set served over HTTP on loopback, as
 * a {@code private_key_jwt} client publishes them; signs RFC 7523 client assertions.
 */
final class ClientJwks implements AutoCloseable {

	final RSAKey rsa = IdpHttp.testKey("client-rsa");

	final ECKey ec;

	private final HttpServer server;

	ClientJwks() {
		try {
			this.ec = new ECKeyGenerator(Curve.P_256).keyID("client-ec").generate();
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		byte[] jwks = new JWKSet(List.of(this.rsa.toPublicJWK(), this.ec.toPublicJWK())).toString()
			.getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/jwks", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(jwks);
			}
		});
		this.server.start();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks";
	}

	/**
	 * An assertion with {@code iss} = {@code sub} = the client id, one minute of life.
	 */
	static String assertion(JWK key, String clientId, String audience) {
		JWSAlgorithm algorithm = (key instanceof ECKey) ? JWSAlgorithm.ES256 : JWSAlgorithm.RS256;
		Date now = new Date();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(),
				new JWTClaimsSet.Builder().issuer(clientId)
					.subject(clientId)
					.audience(audience)
					.jwtID(UUID.randomUUID().toString())
					.issueTime(now)
					.expirationTime(new Date(now.getTime() + 60_000))
					.build());
		try {
			JWSSigner signer = (key instanceof ECKey ecKey) ? new ECDSASigner(ecKey)
					: new RSASSASigner((RSAKey) key);
			jwt.sign(signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}

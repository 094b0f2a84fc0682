package dev.gatehouse.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the verified-token cache saves: a full RS256 or ES256 parse-and-verify of an access token against a cache
 * hit as the gateway does it (SHA-256 of the token, 128-bit key, map lookup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtBenchmarks {

	private String rs256;

	private String es256;

	private RSASSAVerifier rsaVerifier;

	private ECDSAVerifier ecVerifier;

	private final Map<Key, Object> cache = new ConcurrentHashMap<>();

	record Key(long high, long low) {
	}

	@Setup
	public void setup() throws Exception {
		RSAKey rsa = new RSAKeyGenerator(2048).keyID("r").generate();
		ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e").generate();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.example.com")
			.subject("alice")
			.audience("https://gw.example.com/mcp")
			.expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
			.issueTime(new Date())
			.claim("scope", "openid mcp:tools")
			.claim("roles", List.of("risk-analyst"))
			.build();
		SignedJWT r = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("r").type(new JOSEObjectType("at+jwt")).build(), claims);
		r.sign(new RSASSASigner(rsa));
		rs256 = r.serialize();
		SignedJWT e = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e").type(new JOSEObjectType("at+jwt")).build(), claims);
		e.sign(new ECDSASigner(ec));
		es256 = e.serialize();
		rsaVerifier = new RSASSAVerifier(rsa.toRSAPublicKey());
		ecVerifier = new ECDSAVerifier(ec.toECPublicKey());
		cache.put(key(rs256), "verified");
	}

	@Benchmark
	public boolean verifyRs256() throws Exception {
		SignedJWT jwt = SignedJWT.parse(rs256);
		return jwt.verify(rsaVerifier) && jwt.getJWTClaimsSet().getSubject() != null;
	}

	@Benchmark
	public boolean verifyEs256() throws Exception {
		SignedJWT jwt = SignedJWT.parse(es256);
		return jwt.verify(ecVerifier) && jwt.getJWTClaimsSet().getSubject() != null;
	}

	@Benchmark
	public Object cacheHit() throws Exception {
		return cache.get(key(rs256));
	}

	private static Key key(String token) throws Exception {
		byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
		return new Key(ByteBuffer.wrap(d, 0, 8).getLong(), ByteBuffer.wrap(d, 8, 8).getLong());
	}
}

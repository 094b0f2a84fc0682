package dev.gatehouse.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.gatehouse.server.config.GatehouseProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

class OriginGuardTests {

	private final OriginGuard guard = guard("https://gw.example.com", List.of(), List.of());

	// Origin

	@ParameterizedTest
	@ValueSource(strings = { "https://gw.example.com", "HTTPS://GW.EXAMPLE.COM", "https://gw.example.com/",
			" https://gw.example.com " })
	void checkOriginWhenPublicUrlOriginThenAllowed(String origin) {
		assertThat(guard.checkOrigin(origin)).isEmpty();
	}

	@Test
	void checkOriginWhenAbsentThenAllowed() {
		assertThat(guard.checkOrigin(null)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://evil.example.com", "http://gw.example.com", "https://gw.example.com:8443",
			"https://gw.example.com.evil.com", "https://evilgw.example.com", "null", "https://example.com", "" })
	void checkOriginWhenForeignThenRefusedNamingIt(String origin) {
		assertThat(guard.checkOrigin(origin))
			.contains("Origin '" + origin + "' is not allowed (see gatehouse.mcp.allowed-origins)");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080", "https://localhost" })
	void checkOriginWhenLoopbackOriginAndPublicUrlNotLoopbackThenRefused(String origin) {
		assertThat(guard.checkOrigin(origin)).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080", "https://localhost",
			"http://localhost:8080" })
	void checkOriginWhenLoopbackOriginAndPublicUrlLoopbackThenAllowed(String origin) {
		OriginGuard local = guard("http://localhost:8080", List.of(), List.of());

		assertThat(local.checkOrigin(origin)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://evil.example.com", "ftp://localhost", "file://localhost",
			"http://localhost.evil.com", "http://127.0.0.1.nip.io", "null", "http://[::1" })
	void checkOriginWhenPublicUrlLoopbackAndOriginNotLoopbackHttpThenRefused(String origin) {
		OriginGuard local = guard("http://127.0.0.1:8080", List.of(), List.of());

		assertThat(local.checkOrigin(origin)).isPresent();
	}

	@Test
	void checkOriginWhenConfiguredOriginThenAllowedInAnyCaseAndWithoutTrailingSlash() {
		OriginGuard configured = guard("https://gw.example.com", List.of("https://App.Example.com/"), List.of());

		assertThat(configured.checkOrigin("https://app.example.com")).isEmpty();
		assertThat(configured.checkOrigin("https://APP.example.com/")).isEmpty();
		assertThat(configured.checkOrigin("https://gw.example.com")).isEmpty();
		assertThat(configured.checkOrigin("https://other.example.com")).isPresent();
	}

	@Test
	void checkOriginWhenWildcardConfiguredThenAnyOriginAllowed() {
		OriginGuard any = guard("https://gw.example.com", List.of("*"), List.of());

		assertThat(any.checkOrigin("https://evil.example.com")).isEmpty();
		assertThat(any.checkOrigin("null")).isEmpty();
		assertThat(any.checkOrigin("http://localhost:1")).isEmpty();
	}

	@Test
	void checkOriginWhenPortWildcardThenAnyPortOfThatOriginAllowed() {
		OriginGuard ports = guard("https://gw.example.com", List.of("http://app.example.com:*"), List.of());

		assertThat(ports.checkOrigin("http://app.example.com:3000")).isEmpty();
		assertThat(ports.checkOrigin("http://app.example.com:1")).isEmpty();
		assertThat(ports.checkOrigin("http://app.example.com:65535")).isEmpty();
		assertThat(ports.checkOrigin("http://app.example.com")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://app.example.com:3000", "http://app.example.com.evil.com:3000",
			"http://app.example.com:123456", "http://app.example.com:", "http://app.example.com:80x",
			"http://app.example.com:3000/path", "http://evil.com/http://app.example.com:3000" })
	void checkOriginWhenPortWildcardAndOtherSchemeHostOrPortShapeThenRefused(String origin) {
		OriginGuard ports = guard("https://gw.example.com", List.of("http://app.example.com:*"), List.of());

		assertThat(ports.checkOrigin(origin)).isPresent();
	}

	@Test
	void checkOriginWhenPublicUrlHasPortThenOriginNeedsThatPort() {
		OriginGuard withPort = guard("https://gw.example.com:8443/base", List.of(), List.of());

		assertThat(withPort.checkOrigin("https://gw.example.com:8443")).isEmpty();
		assertThat(withPort.checkOrigin("https://gw.example.com")).isPresent();
	}

	@Test
	void checkOriginWhenPublicUrlHasExplicitDefaultPortThenOriginWithoutPortAllowed() {
		OriginGuard explicit = guard("https://gw.example.com:443/", List.of(), List.of());

		assertThat(explicit.checkOrigin("https://gw.example.com")).isEmpty();
	}

	@Test
	void checkOriginWhenRefusedThenMessageHasNoControlCharactersAndIsCut() {
		String origin = "https://evil.example.com\r\nX-Injected: 1" + "a".repeat(200);

		String message = guard.checkOrigin(origin).orElseThrow();

		assertThat(message).doesNotContain("\r").doesNotContain("\n").contains("evil.example.com??X-Injected");
		assertThat(message).contains("…").hasSizeLessThan(200);
	}

	// Host

	@ParameterizedTest
	@ValueSource(strings = { "gw.example.com", "GW.Example.COM", "gw.example.com:443", "gw.example.com:8443",
			" gw.example.com " })
	void checkHostWhenPublicHostThenAllowed(String host) {
		assertThat(guard.checkHost(host)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080",
			"LOCALHOST:1" })
	void checkHostWhenLoopbackThenAllowed(String host) {
		assertThat(guard.checkHost(host)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "evil.example.com", "evil.example.com:443", "gw.example.com.evil.com", "127.0.0.1.nip.io",
			"localhost.evil.com:8080", "[::2]:8080", "[::1", "::1", "10.0.0.1:8080", "evil.com:gw.example.com" })
	void checkHostWhenForeignThenRefusedNamingIt(String host) {
		assertThat(guard.checkHost(host))
			.contains("Host '" + host + "' is not allowed (see gatehouse.mcp.allowed-hosts)");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   " })
	void checkHostWhenMissingOrBlankThenRefused(String host) {
		assertThat(guard.checkHost(host)).contains("the Host header is missing");
		assertThat(guard.checkHost(null)).contains("the Host header is missing");
	}

	@Test
	void checkHostWhenConfiguredHostThenAllowedWithAnyPort() {
		OriginGuard configured = guard("https://gw.example.com", List.of(), List.of("Internal.Example.com"));

		assertThat(configured.checkHost("internal.example.com")).isEmpty();
		assertThat(configured.checkHost("internal.example.com:9000")).isEmpty();
		assertThat(configured.checkHost("other.example.com")).isPresent();
	}

	@Test
	void checkHostWhenConfiguredHostWithPortWildcardThenMatchesNumericPorts() {
		OriginGuard configured = guard("https://gw.example.com", List.of(), List.of("api.internal:*"));

		assertThat(configured.checkHost("api.internal:8080")).isEmpty();
		assertThat(configured.checkHost("api.internal")).isEmpty();
		assertThat(configured.checkHost("api.internal.evil.com:8080")).isPresent();
	}

	@Test
	void checkHostWhenPublicUrlIsIpv6LiteralThenBracketedHostAllowed() {
		OriginGuard v6 = guard("https://[2001:db8::1]:8443", List.of(), List.of());

		assertThat(v6.checkHost("[2001:db8::1]:8443")).isEmpty();
		assertThat(v6.checkHost("[2001:db8::1]")).isEmpty();
		assertThat(v6.checkHost("[2001:db8::2]:8443")).isPresent();
		assertThat(v6.checkOrigin("https://[2001:db8::1]:8443")).isEmpty();
	}

	private static OriginGuard guard(String publicUrl, List<String> origins, List<String> hosts) {
		return new OriginGuard(properties(publicUrl, origins, hosts));
	}

	static GatehouseProperties properties(String publicUrl, List<String> origins, List<String> hosts) {
		java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();
		values.put("public-url", publicUrl);
		values.put("mcp.allowed-origins", String.join(",", origins));
		values.put("mcp.allowed-hosts", String.join(",", hosts));
		return dev.gatehouse.server.testing.TestProperties.bind(values);
	}


}

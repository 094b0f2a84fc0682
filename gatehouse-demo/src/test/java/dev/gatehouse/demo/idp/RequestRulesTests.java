package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small rules behind RFC 8707 resources and dynamic client redirect URIs.
 */
class RequestRulesTests {

	@Test
	void resourceWhenAbsoluteUriWithoutFragmentThenValid() {
		assertThat(ResourceIndicators.isValid("https://gateway.example/mcp")).isTrue();
		assertThat(ResourceIndicators.isValid("http://127.0.0.1:8080/mcp?tenant=a")).isTrue();
		assertThat(ResourceIndicators.isValid("urn:example:api")).isTrue();
	}

	@Test
	void resourceWhenRelativeFragmentOrUnparsableThenInvalid() {
		assertThat(ResourceIndicators.isValid("/mcp")).isFalse();
		assertThat(ResourceIndicators.isValid("https://gateway.example/mcp#x")).isFalse();
		assertThat(ResourceIndicators.isValid("not a uri")).isFalse();
		assertThat(ResourceIndicators.firstInvalid(List.of("https://a.example", "/b"))).isEqualTo("/b");
	}

	@Test
	void resourcesWhenGivenOnceOrSeveralTimesThenDistinctInOrder() {
		assertThat(ResourceIndicators.of(Map.of("resource", "https://a.example"))).containsExactly("https://a.example");
		assertThat(ResourceIndicators.of(Map.of("resource", new String[] { "https://b.example", "https://a.example",
				"https://b.example" })))
			.containsExactly("https://b.example", "https://a.example");
		assertThat(ResourceIndicators.of(Map.of())).isEmpty();
	}

	@Test
	void dynamicRedirectUriWhenHttpsOrLoopbackHttpThenAllowed() {
		assertThat(RedirectUris.isAllowedForDynamicClient("https://app.example/callback")).isTrue();
		assertThat(RedirectUris.isAllowedForDynamicClient("http://127.0.0.1:33418/callback")).isTrue();
		assertThat(RedirectUris.isAllowedForDynamicClient("http://localhost/callback")).isTrue();
		assertThat(RedirectUris.isAllowedForDynamicClient("http://[::1]:6274/oauth/callback")).isTrue();
	}

	@Test
	void dynamicRedirectUriWhenOtherHttpHostSchemeFragmentOrUserInfoThenRefused() {
		assertThat(RedirectUris.isAllowedForDynamicClient("http://app.example/callback")).isFalse();
		assertThat(RedirectUris.isAllowedForDynamicClient("http://localhost.evil.example/callback")).isFalse();
		assertThat(RedirectUris.isAllowedForDynamicClient("cursor://callback")).isFalse();
		assertThat(RedirectUris.isAllowedForDynamicClient("https://app.example/cb#frag")).isFalse();
		assertThat(RedirectUris.isAllowedForDynamicClient("https://user@app.example/cb")).isFalse();
		assertThat(RedirectUris.isAllowedForDynamicClient("/relative")).isFalse();
	}

	@Test
	void pkceWhenVerifierGivenThenS256ChallengeOfRfc7636AppendixB() {
		assertThat(Pkce.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").challenge())
			.isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	}

	@Test
	void basicAuthorizationWhenSpecialCharactersThenFormEncodedBeforeBase64() {
		assertThat(HttpExchanges.basic("a:b", "p w")).isEqualTo("Basic YSUzQWI6cCt3");
	}

}

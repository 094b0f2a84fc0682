package dev.gatehouse.server.access;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-derived variables of a redirect URI template become the public URL's parts. */
class PublicUrlRedirectUrisTests {

	@Test
	void expandWhenDefaultTemplateThenPublicUrlAndRegistrationIdLeftForSpring() {
		assertThat(PublicUrlRedirectUris.expand("{baseUrl}/login/oauth2/code/{registrationId}",
				URI.create("https://mcp.example.com/"))).isEqualTo("https://mcp.example.com/login/oauth2/code/{registrationId}");
	}

	@Test
	void expandWhenPublicUrlHasPortAndPathThenEachVariableFromIt() {
		URI publicUrl = URI.create("http://gw.internal:8443/gatehouse");
		assertThat(PublicUrlRedirectUris.expand("{baseUrl}/cb", publicUrl)).isEqualTo("http://gw.internal:8443/gatehouse/cb");
		assertThat(PublicUrlRedirectUris.expand("{baseScheme}://{baseHost}{basePort}{basePath}/cb/{action}", publicUrl))
			.isEqualTo("http://gw.internal:8443/gatehouse/cb/{action}");
		assertThat(PublicUrlRedirectUris.expand("{baseScheme}://{baseHost}{basePort}/cb", URI.create("https://a.example")))
			.isEqualTo("https://a.example/cb");
	}

	@Test
	void expandWhenTemplateIsAbsoluteThenKept() {
		assertThat(PublicUrlRedirectUris.expand("https://sso-callback.example.com/cb", URI.create("http://localhost:8080")))
			.isEqualTo("https://sso-callback.example.com/cb");
	}
}

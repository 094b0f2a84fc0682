package dev.gatehouse.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.core.mcp.ResourceUris.Qualified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceUrisTests {

	@Test
	void exposeWhenTargetAndUriThenTargetPlusUri() {
		assertThat(ResourceUris.expose("docs", "test://static-text")).isEqualTo("docs+test://static-text");
	}

	@ParameterizedTest
	@ValueSource(strings = { "test://static-text", "file:///home/a+b.txt", "https://example.com/q?a=1+2#frag",
			"git+ssh://host/repo", "urn:isbn:0451450523", "test://{id}/item", "a+b+c://x", "mailto:a+tag@example.com",
			"no-scheme-at-all", "+" })
	void parseWhenExposedThenRoundTrips(String upstreamUri) {
		String exposed = ResourceUris.expose("risk-assessment-mcp", upstreamUri);

		assertThat(ResourceUris.parse(exposed)).contains(new Qualified("risk-assessment-mcp", upstreamUri));
	}

	@ParameterizedTest
	@ValueSource(strings = { "test://static-text", "https://example.com/a+b", "file:///tmp/x+y", "urn:a+b", "",
			"+test://x", "docs+", "no-plus-here", "mailto:a+b@example.com" })
	void parseWhenNoTargetPartThenEmpty(String uri) {
		assertThat(ResourceUris.parse(uri)).isEmpty();
	}

	@Test
	void parseWhenTargetContainsDashesAndDigitsThenSplitAtFirstPlus() {
		assertThat(ResourceUris.parse("t-1+x+y:z")).contains(new Qualified("t-1", "x+y:z"));
	}

	@Test
	void qualifiedWhenNullPartsThenRefused() {
		assertThatThrownBy(() -> new Qualified(null, "u")).isInstanceOf(NullPointerException.class)
			.hasMessage("target must not be null");
		assertThatThrownBy(() -> new Qualified("t", null)).isInstanceOf(NullPointerException.class)
			.hasMessage("uri must not be null");
	}

}

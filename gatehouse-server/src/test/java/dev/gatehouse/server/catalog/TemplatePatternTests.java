package dev.gatehouse.server.catalog;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Resource templates (RFC 6570, simplified) as the catalog matches URIs against them. */
class TemplatePatternTests {

	@Test
	void templatePatternWhenSimpleExpressionThenOneSegmentMatches() {
		assertThat(CatalogSnapshot.templatePattern("test://template/{id}/data").matcher("test://template/42/data")
			.matches()).isTrue();
		assertThat(CatalogSnapshot.templatePattern("test://template/{id}/data").matcher("test://template/4/2/data")
			.matches()).isFalse();
		assertThat(CatalogSnapshot.templatePattern("test://template/{id}/data").matcher("test://template//data")
			.matches()).as("an expression matches at least one character").isFalse();
	}

	@Test
	void templatePatternWhenReservedOrPathExpressionThenSlashesMatchToo() {
		assertThat(CatalogSnapshot.templatePattern("file:///{+path}").matcher("file:///a/b/c.txt").matches()).isTrue();
		assertThat(CatalogSnapshot.templatePattern("repo://x{/segments}").matcher("repo://x/a/b").matches()).isTrue();
	}

	@Test
	void templatePatternWhenLiteralHasRegexCharactersThenTheyAreLiteral() {
		assertThat(CatalogSnapshot.templatePattern("a.b://{x}?q").matcher("a.b://1?q").matches()).isTrue();
		assertThat(CatalogSnapshot.templatePattern("a.b://{x}?q").matcher("aXb://1?q").matches()).isFalse();
	}
}

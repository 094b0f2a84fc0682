package dev.gatehouse.core.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolVersionTests {

	@ParameterizedTest
	@ValueSource(strings = { "2025-03-26", "2025-06-18", "2025-11-25" })
	void negotiateWhenSupportedSessionVersionThenEchoed(String requested) {
		assertThat(ProtocolVersion.negotiate(requested).id()).isEqualTo(requested);
	}

	@ParameterizedTest
	@ValueSource(strings = { "2024-11-05", "2099-01-01", "", "latest", "2025-11-25 ", "2025-11-26" })
	void negotiateWhenUnknownThenLatestSessionVersion(String requested) {
		assertThat(ProtocolVersion.negotiate(requested)).isEqualTo(ProtocolVersion.V2025_11_25)
			.isEqualTo(ProtocolVersion.LATEST_SESSION);
	}

	@Test
	void negotiateWhenStatelessVersionRequestedThroughInitializeThenLatestSessionVersion() {
		assertThat(ProtocolVersion.negotiate("2026-07-28")).isEqualTo(ProtocolVersion.LATEST_SESSION);
	}

	@Test
	void sessionVersionsWhenListedThenExcludeStatelessOldestFirst() {
		assertThat(ProtocolVersion.sessionVersions()).containsExactly(ProtocolVersion.V2025_03_26,
				ProtocolVersion.V2025_06_18, ProtocolVersion.V2025_11_25);
	}

	@Test
	void idsWhenListedThenEveryRevisionOldestFirst() {
		assertThat(ProtocolVersion.ids()).containsExactly("2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28");
	}

	@Test
	void findWhenKnownThenVersionElseEmpty() {
		assertThat(ProtocolVersion.find("2026-07-28")).contains(ProtocolVersion.V2026_07_28);
		assertThat(ProtocolVersion.find("2024-11-05")).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void allowsBatchesWhenVersionThenOnly20250326(ProtocolVersion version) {
		assertThat(version.allowsBatches()).isEqualTo(version == ProtocolVersion.V2025_03_26);
	}

	@ParameterizedTest
	@EnumSource(ProtocolVersion.class)
	void isStatelessWhenVersionThenOnly20260728(ProtocolVersion version) {
		assertThat(version.isStateless()).isEqualTo(version == ProtocolVersion.V2026_07_28);
	}

	@Test
	void featureFlagsWhenVersionThenFromTheRevisionThatIntroducedThem() {
		assertThat(ProtocolVersion.V2025_03_26.hasStructuredOutput()).isFalse();
		assertThat(ProtocolVersion.V2025_06_18.hasStructuredOutput()).isTrue();
		assertThat(ProtocolVersion.V2026_07_28.hasStructuredOutput()).isTrue();
		assertThat(ProtocolVersion.V2025_06_18.hasUrlElicitation()).isFalse();
		assertThat(ProtocolVersion.V2025_11_25.hasUrlElicitation()).isTrue();
		assertThat(ProtocolVersion.V2026_07_28.hasUrlElicitation()).isTrue();
	}

	@Test
	void constantsWhenReadThenDocumentedValues() {
		assertThat(ProtocolVersion.DEFAULT_WITHOUT_HEADER).isEqualTo(ProtocolVersion.V2025_03_26);
		assertThat(ProtocolVersion.LATEST_SESSION.isStateless()).isFalse();
		assertThat(ProtocolVersion.V2025_11_25).hasToString("2025-11-25");
	}

}

package dev.gatehouse.server.audit;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How verification compares a record's time column with its hashed time: at the microsecond the databases keep,
 * so that trails written before records were hashed at that precision (nanoseconds hashed, microseconds stored,
 * rounded by PostgreSQL and truncated by H2) still verify, and any real change of the column is still found.
 */
class AuditIntegrityTimeTests {

	static final Instant HASHED = Instant.parse("2026-12-08T03:09:49.123456789Z");

	@Test
	void sameMicrosecondWhenTheColumnIsTheHashedTimeTruncatedOrRoundedThenTrue() {
		assertThat(AuditIntegrity.sameMicrosecond(Instant.parse("2026-12-08T03:09:49.123456Z"), HASHED)).isTrue();
		assertThat(AuditIntegrity.sameMicrosecond(Instant.parse("2026-12-08T03:09:49.123457Z"), HASHED)).isTrue();
		assertThat(AuditIntegrity.sameMicrosecond(HASHED, HASHED)).isTrue();
	}

	@Test
	void sameMicrosecondWhenTheColumnDiffersByAMicrosecondOrMoreThenFalse() {
		assertThat(AuditIntegrity.sameMicrosecond(Instant.parse("2026-12-08T03:09:49.123458Z"), HASHED)).isFalse();
		assertThat(AuditIntegrity.sameMicrosecond(Instant.parse("2026-12-08T03:09:49.123455Z"), HASHED)).isFalse();
		assertThat(AuditIntegrity.sameMicrosecond(Instant.parse("2026-12-08T03:09:50.123456Z"), HASHED)).isFalse();
		assertThat(AuditIntegrity.sameMicrosecond(HASHED, null)).as("a hashed time that does not parse").isFalse();
	}
}

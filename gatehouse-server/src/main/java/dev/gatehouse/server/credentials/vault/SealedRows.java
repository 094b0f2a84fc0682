package dev.gatehouse.server.credentials.vault;

/**
 * A table whose rows hold values sealed by the {@link Vault}. A data key rotation asks each to re-seal its rows
 * under the new active key, a batch at a time, while the gateway keeps serving.
 */
public interface SealedRows {

	/** A short name for logs and progress, such as {@code upstream_grant}. */
	String table();

	/** How many rows are sealed with a key other than {@code activeKeyId}. */
	long countNotSealedWith(int activeKeyId);

	/**
	 * Re-seals up to {@code limit} rows sealed with another key, each under a row lock so that a concurrent writer
	 * (a token refresh) is neither lost nor overwritten.
	 * @return how many rows were re-sealed; 0 when none is left
	 */
	int resealBatch(int activeKeyId, int limit);

}

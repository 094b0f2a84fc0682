package dev.gatehouse.demo.conformance;

/**
 * Base64 media constants of the conformance fixtures.
 */
final class FixtureMedia {

	/**
	 * A 1x1 red PNG (70 bytes), the same constant as the TypeScript and Java reference
	 * fixtures.
	 */
	static final String RED_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

	/**
	 * A valid, empty 8 kHz mono PCM WAV (44 bytes: RIFF size 36, data size 0), from the
	 * Java reference fixture. The TypeScript fixture's constant declares two data bytes
	 * it does not contain.
	 */
	static final String MINIMAL_WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQAAAAA=";

	private FixtureMedia() {
	}

}

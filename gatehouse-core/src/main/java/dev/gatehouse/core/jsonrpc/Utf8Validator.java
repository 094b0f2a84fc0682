package dev.gatehouse.core.jsonrpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks that bytes are well-formed UTF-8 as the Unicode Standard defines it (Table 3-7 of chapter 3): no
 * overlong forms ({@code C0 AF} for {@code /}), no encoded surrogates ({@code ED A0 80}), nothing above
 * U+10FFFF (lead bytes {@code F5}–{@code FF}, or {@code F4 90}+), no stray continuation bytes and no sequence
 * cut short. JSON exchanged between systems must be UTF-8 (RFC 8259 §8.1), and Jackson decodes some malformed
 * forms (overlong ones among them) instead of rejecting them, so a body is checked before it is parsed: what a
 * policy check reads is then exactly what a target reads.
 * <p>
 * One pass over the array, eight ASCII bytes at a time where it can; no allocation. Stateless and thread-safe.
 *
 * @see <a href="https://www.unicode.org/versions/Unicode15.0.0/ch03.pdf#G7404">Unicode 15.0, Table 3-7</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc3629#section-4">RFC 3629 §4</a>
 */
public final class Utf8Validator {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long HIGH_BITS = 0x8080808080808080L;

	private Utf8Validator() {
	}

	/**
	 * The offset of the first byte of the first ill-formed sequence, or {@code -1} when all bytes are
	 * well-formed UTF-8.
	 * @param bytes the bytes to check, not {@code null}
	 */
	public static int firstMalformed(byte[] bytes) {
		Objects.requireNonNull(bytes, "bytes must not be null");
		return firstMalformed(bytes, 0, bytes.length);
	}

	/**
	 * The offset (in {@code bytes}) of the first byte of the first ill-formed sequence within
	 * {@code [from, to)}, or {@code -1} when that range is well-formed UTF-8. A sequence that the range's end
	 * cuts short is ill-formed.
	 */
	public static int firstMalformed(byte[] bytes, int from, int to) {
		Objects.checkFromToIndex(from, to, bytes.length);
		int i = from;
		while (i < to) {
			if (bytes[i] >= 0) {
				i++;
				// ASCII fast path: after an ASCII byte, eight at a time while none has its high bit set.
				while (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
					i += 8;
				}
				continue;
			}
			int length = sequenceLength(bytes, i, to);
			if (length < 0) {
				return i;
			}
			i += length;
		}
		return -1;
	}

	/** The length of the well-formed multi-byte sequence at {@code i}, or {@code -1}. */
	private static int sequenceLength(byte[] bytes, int i, int to) {
		int lead = bytes[i] & 0xFF;
		if (lead < 0xC2 || lead > 0xF4) {
			return -1; // a continuation byte, an overlong two-byte lead (C0, C1), or beyond U+10FFFF
		}
		if (lead < 0xE0) {
			return (i + 1 < to && isContinuation(bytes[i + 1])) ? 2 : -1;
		}
		if (i + 1 >= to) {
			return -1;
		}
		int second = bytes[i + 1] & 0xFF;
		if (second < lowerSecond(lead) || second > upperSecond(lead)) {
			return -1;
		}
		if (lead < 0xF0) {
			return (i + 2 < to && isContinuation(bytes[i + 2])) ? 3 : -1;
		}
		return (i + 3 < to && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])) ? 4 : -1;
	}

	/** The smallest second byte after a three- or four-byte lead: higher for E0 and F0 (no overlong forms). */
	private static int lowerSecond(int lead) {
		return (lead == 0xE0) ? 0xA0 : (lead == 0xF0) ? 0x90 : 0x80;
	}

	/** The largest second byte: lower for ED (no surrogates) and F4 (nothing above U+10FFFF). */
	private static int upperSecond(int lead) {
		return (lead == 0xED) ? 0x9F : (lead == 0xF4) ? 0x8F : 0xBF;
	}

	private static boolean isContinuation(byte b) {
		return (b & 0xC0) == 0x80;
	}

	/**
	 * Says what is wrong with the sequence starting at {@code offset} (as returned by
	 * {@link #firstMalformed(byte[])}), e.g. {@code "overlong encoding (0xC0 0xAF)"}. Never reveals more than the
	 * four bytes at fault.
	 */
	public static String describe(byte[] bytes, int offset) {
		Objects.checkIndex(offset, bytes.length);
		int lead = bytes[offset] & 0xFF;
		String reason;
		if (lead >= 0x80 && lead < 0xC0) {
			reason = "unexpected continuation byte";
		}
		else if (lead == 0xC0 || lead == 0xC1) {
			reason = "overlong encoding";
		}
		else if (lead > 0xF4) {
			reason = "byte not allowed in UTF-8";
		}
		else {
			reason = describeSequence(bytes, offset, lead);
		}
		return reason + " (" + hex(bytes, offset, Math.min(bytes.length, offset + expectedLength(lead))) + ")";
	}

	private static String describeSequence(byte[] bytes, int offset, int lead) {
		int length = expectedLength(lead);
		for (int k = 1; k < length; k++) {
			if (offset + k >= bytes.length) {
				return "incomplete sequence";
			}
			int b = bytes[offset + k] & 0xFF;
			if (k == 1 && length > 2 && (b & 0xC0) == 0x80) {
				if (b < lowerSecond(lead)) {
					return "overlong encoding";
				}
				if (b > upperSecond(lead)) {
					return (lead == 0xED) ? "encoded surrogate" : "code point above U+10FFFF";
				}
			}
			if ((b & 0xC0) != 0x80) {
				return "incomplete sequence";
			}
		}
		return "ill-formed sequence";
	}

	private static int expectedLength(int lead) {
		return (lead >= 0xF0 && lead <= 0xF4) ? 4 : (lead >= 0xE0 && lead < 0xF0) ? 3 : (lead >= 0xC0 && lead < 0xE0) ? 2 : 1;
	}

	private static String hex(byte[] bytes, int from, int to) {
		StringBuilder out = new StringBuilder();
		for (int k = from; k < to; k++) {
			if (k > from) {
				out.append(' ');
			}
			out.append(String.format(Locale.ROOT, "0x%02X", bytes[k] & 0xFF));
		}
		return out.toString();
	}
}

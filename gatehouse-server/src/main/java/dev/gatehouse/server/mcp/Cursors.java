package dev.gatehouse.server.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.gatehouse.core.jsonrpc.JsonRpcErrorCode;
import dev.gatehouse.core.jsonrpc.JsonRpcException;
import dev.gatehouse.server.catalog.EntryKind;

/**
 * Opaque, stable pagination cursors: the exposed name of the last item of the previous page, so a cursor
 * stays valid when items are added or removed, and on any instance.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination">
 * Pagination</a>
 */
final class Cursors {

	private Cursors() {
	}

	static String encode(EntryKind kind, String lastName) {
		String plain = "v1|" + kind.id() + "|" + lastName;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The last name of the previous page.
	 * @throws JsonRpcException {@code -32602} when the cursor was not made by {@link #encode} for this list
	 */
	static String decode(EntryKind kind, String cursor) {
		try {
			String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			String prefix = "v1|" + kind.id() + "|";
			if (plain.startsWith(prefix)) {
				return plain.substring(prefix.length());
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through
		}
		throw new JsonRpcException(JsonRpcErrorCode.INVALID_PARAMS,
				"Invalid cursor: pass back the nextCursor of the previous " + kind.listMethod() + " result unchanged");
	}
}

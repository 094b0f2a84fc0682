package dev.gatehouse.server.catalog;

/**
 * The kinds of things a target offers, with the MCP list method that reads each.
 */
public enum EntryKind {

	TOOL("tool", "tools", "tools/list", "tools", "name"),

	PROMPT("prompt", "prompts", "prompts/list", "prompts", "name"),

	RESOURCE("resource", "resources", "resources/list", "resources", "uri"),

	TEMPLATE("template", "resources", "resources/templates/list", "resourceTemplates", "uriTemplate");

	private final String id;

	private final String capability;

	private final String listMethod;

	private final String arrayKey;

	private final String nameKey;

	EntryKind(String id, String capability, String listMethod, String arrayKey, String nameKey) {
		this.id = id;
		this.capability = capability;
		this.listMethod = listMethod;
		this.arrayKey = arrayKey;
		this.nameKey = nameKey;
	}

	/** The value stored in {@code catalog_entry.kind}. */
	public String id() {
		return id;
	}

	/** The server capability that says a target offers this kind. */
	public String capability() {
		return capability;
	}

	public String listMethod() {
		return listMethod;
	}

	/** The member of the list result holding the items. */
	public String arrayKey() {
		return arrayKey;
	}

	/** The member of an item that identifies it. */
	public String nameKey() {
		return nameKey;
	}

	static EntryKind of(String id) {
		for (EntryKind kind : values()) {
			if (kind.id.equals(id)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("unknown catalog entry kind " + id);
	}
}

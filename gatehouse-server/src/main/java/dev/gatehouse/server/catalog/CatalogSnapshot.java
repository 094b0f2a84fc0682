package dev.gatehouse.server.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gatehouse.core.audit.ArgumentsDigest;
import dev.gatehouse.core.mcp.ExposedNames;
import dev.gatehouse.core.mcp.ResourceUris;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetAuth;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable, aggregated view of every enabled target's tools, prompts, resources and templates, sorted by
 * exposed name. Built when the catalog changes; read without locks on the request path.
 */
public final class CatalogSnapshot {

	private static final Logger logger = LoggerFactory.getLogger(CatalogSnapshot.class);

	/** An RFC 6570 expression in a resource template (declared before {@link #EMPTY}, which is built with it). */
	private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

	static final CatalogSnapshot EMPTY = new CatalogSnapshot(new EnumMap<>(EntryKind.class), Map.of(), Map.of());

	private final Map<EntryKind, List<Exposed>> sorted;

	private final Map<EntryKind, Map<String, Exposed>> byName;

	private final Map<String, Target> targets;

	private final Map<EntryKind, String> fingerprints;

	/**
	 * The resource templates' patterns, compiled once per snapshot: they go with it when the catalog changes (a
	 * static cache keyed by what targets announce grew without bound as templates came and went).
	 */
	private final Map<String, Pattern> templatePatterns;

	private CatalogSnapshot(Map<EntryKind, List<Exposed>> sorted, Map<EntryKind, Map<String, Exposed>> byName,
			Map<String, Target> targets) {
		this.sorted = sorted;
		this.byName = byName;
		this.targets = targets;
		this.fingerprints = new EnumMap<>(EntryKind.class);
		for (EntryKind kind : EntryKind.values()) {
			StringBuilder all = new StringBuilder();
			for (Exposed e : sorted.getOrDefault(kind, List.of())) {
				all.append(e.exposedName()).append('\u0000').append(ArgumentsDigest.canonical(e.definition())).append('\n');
			}
			fingerprints.put(kind, ArgumentsDigest.sha256Hex(all.toString()));
		}
		Map<String, Pattern> patterns = new java.util.HashMap<>();
		for (Exposed template : sorted.getOrDefault(EntryKind.TEMPLATE, List.of())) {
			patterns.put(template.exposedName(), templatePattern(template.exposedName()));
		}
		this.templatePatterns = Map.copyOf(patterns);
	}

	/** Builds the view from the enabled targets and their entries. */
	static CatalogSnapshot build(Collection<Target> enabledTargets, List<CatalogEntry> entries, ExposedNames names) {
		Map<String, Target> targets = new TreeMap<>();
		enabledTargets.forEach((t) -> targets.put(t.name(), t));
		Map<EntryKind, Map<String, Exposed>> byName = new EnumMap<>(EntryKind.class);
		for (EntryKind kind : EntryKind.values()) {
			byName.put(kind, new TreeMap<>());
		}
		for (CatalogEntry entry : entries) {
			Target target = targets.get(entry.target());
			if (target != null) {
				add(byName.get(entry.kind()), expose(entry, target, names), names);
			}
		}
		addConnectTools(targets.values(), byName.get(EntryKind.TOOL), names);
		Map<EntryKind, List<Exposed>> sorted = new EnumMap<>(EntryKind.class);
		byName.forEach((kind, map) -> sorted.put(kind, List.copyOf(map.values())));
		Map<EntryKind, Map<String, Exposed>> frozen = new EnumMap<>(EntryKind.class);
		byName.forEach((kind, map) -> frozen.put(kind, Map.copyOf(map)));
		return new CatalogSnapshot(sorted, frozen, Map.copyOf(targets));
	}

	/**
	 * A per-user OAuth target's tools are read with a user's token, so until somebody connects it they are unknown.
	 * Meanwhile it offers one tool of the gateway's own, {@code {target}___connect}, whose call sends the user the
	 * consent link; once a user has connected, the real tools replace it.
	 */
	private static void addConnectTools(Collection<Target> targets, Map<String, Exposed> tools, ExposedNames names) {
		for (Target target : targets) {
			if (!(target.auth() instanceof TargetAuth.OAuth2 oauth)
					|| oauth.grantType() != TargetAuth.GrantType.AUTHORIZATION_CODE) {
				continue;
			}
			boolean known = tools.values().stream().anyMatch((t) -> t.target().equals(target.name()));
			if (known) {
				continue;
			}
			String name = (target.prefix() != null) ? names.expose(target.prefix(), Exposed.CONNECT)
					: Exposed.CONNECT + "_" + target.name().replace('-', '_');
			ObjectNode definition = JsonNodeFactory.instance.objectNode();
			definition.put("name", name);
			definition.put("title", "Connect " + target.name());
			definition.put("description", "Connect your account at " + target.name()
					+ ((target.description() != null) ? " (" + target.description() + ")" : "")
					+ " so that its tools become available. The answer is a link for the user to open and authorize "
					+ "the gateway; after that the tools of " + target.name() + " are listed.");
			definition.putObject("inputSchema").put("type", "object").putObject("properties");
			definition.putObject("annotations").put("readOnlyHint", true).put("openWorldHint", true);
			tools.putIfAbsent(name, new Exposed(EntryKind.TOOL, name, target.name(), Exposed.CONNECT, definition, true));
		}
	}

	private static Exposed expose(CatalogEntry entry, Target target, ExposedNames names) {
		String exposedName = switch (entry.kind()) {
			case TOOL, PROMPT -> names.expose(target.prefix(), entry.name());
			case RESOURCE, TEMPLATE -> target.namespaced() ? ResourceUris.expose(target.name(), entry.name())
					: entry.name();
		};
		ObjectNode definition = entry.definition().deepCopy();
		definition.put(entry.kind().nameKey(), exposedName);
		return new Exposed(entry.kind(), exposedName, target.name(), entry.name(), definition);
	}

	private static void add(Map<String, Exposed> map, Exposed exposed, ExposedNames names) {
		Exposed clash = map.get(exposed.exposedName());
		if (clash == null) {
			map.put(exposed.exposedName(), exposed);
			return;
		}
		if (exposed.kind() == EntryKind.RESOURCE || exposed.kind() == EntryKind.TEMPLATE) {
			logger.warn("Targets '{}' and '{}' both offer {} '{}'; only the first is exposed", clash.target(),
					exposed.target(), exposed.kind().id(), exposed.exposedName());
			return;
		}
		String other = names.disambiguate(exposed.exposedName(), exposed.target());
		logger.warn("Targets '{}' and '{}' both expose {} '{}'; the second is exposed as '{}'", clash.target(),
				exposed.target(), exposed.kind().id(), exposed.exposedName(), other);
		ObjectNode definition = exposed.definition().deepCopy();
		definition.put(exposed.kind().nameKey(), other);
		map.put(other, new Exposed(exposed.kind(), other, exposed.target(), exposed.upstreamName(), definition));
	}

	/** Everything of one kind, sorted by exposed name. */
	public List<Exposed> list(EntryKind kind) {
		return sorted.getOrDefault(kind, List.of());
	}

	public Optional<Exposed> find(EntryKind kind, String exposedName) {
		Map<String, Exposed> map = byName.get(kind);
		return Optional.ofNullable((map != null) ? map.get(exposedName) : null);
	}

	/** An enabled target by name. */
	public Optional<Target> target(String name) {
		return Optional.ofNullable(targets.get(name));
	}

	/** A hash of everything of one kind: it changes when anything an agent sees changes. */
	String fingerprint(EntryKind kind) {
		return Objects.requireNonNull(fingerprints.get(kind));
	}

	/**
	 * The target and upstream URI for a resource URI an agent asked to read: a namespaced URI
	 * ({@code target+uri}), a listed resource, a URI matching a template, or, failing those, the only
	 * non-namespaced target.
	 */
	public Optional<ResourceUris.Qualified> resolveResource(String uri) {
		Exposed listed = byName.getOrDefault(EntryKind.RESOURCE, Map.of()).get(uri);
		if (listed != null) {
			return Optional.of(new ResourceUris.Qualified(listed.target(), listed.upstreamName()));
		}
		Optional<ResourceUris.Qualified> qualified = ResourceUris.parse(uri)
			.filter((q) -> targets.containsKey(q.target()) && targets.get(q.target()).namespaced());
		if (qualified.isPresent()) {
			return qualified;
		}
		for (Exposed template : list(EntryKind.TEMPLATE)) {
			if (templatePatterns.get(template.exposedName()).matcher(uri).matches()) {
				String upstream = targets.get(template.target()).namespaced()
						? uri.substring(template.target().length() + 1) : uri;
				return Optional.of(new ResourceUris.Qualified(template.target(), upstream));
			}
		}
		List<Target> plain = targets.values().stream().filter((t) -> !t.namespaced()).toList();
		if (plain.size() == 1) {
			return Optional.of(new ResourceUris.Qualified(plain.get(0).name(), uri));
		}
		return Optional.empty();
	}

	/** The exposed form of a URI a target used. */
	public String exposeUri(String target, String upstreamUri) {
		Target t = targets.get(target);
		return (t != null && t.namespaced()) ? ResourceUris.expose(target, upstreamUri) : upstreamUri;
	}

	/** RFC 6570 matching, simplified: each expression matches one or more characters other than '/'. */
	static Pattern templatePattern(String template) {
		StringBuilder regex = new StringBuilder();
		Matcher m = VARIABLE.matcher(template);
		int last = 0;
		while (m.find()) {
			regex.append(Pattern.quote(template.substring(last, m.start())));
			regex.append(m.group().startsWith("{+") || m.group().startsWith("{/") ? ".+" : "[^/?#]+");
			last = m.end();
		}
		regex.append(Pattern.quote(template.substring(last)));
		return Pattern.compile(regex.toString());
	}

	/** The number of items of each kind, for status pages. */
	public Map<String, Integer> counts() {
		Map<String, Integer> counts = new HashMap<>();
		sorted.forEach((kind, list) -> counts.put(kind.id(), list.size()));
		return counts;
	}

	/** Items of one kind offered by one target. */
	public List<Exposed> ofTarget(EntryKind kind, String target) {
		List<Exposed> out = new ArrayList<>();
		for (Exposed e : list(kind)) {
			if (e.target().equals(target)) {
				out.add(e);
			}
		}
		return out;
	}

	@Nullable Target targetOrNull(String name) {
		return targets.get(name);
	}
}

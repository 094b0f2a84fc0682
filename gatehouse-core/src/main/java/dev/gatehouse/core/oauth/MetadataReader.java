package dev.gatehouse.core.oauth;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.gatehouse.core.target.UrlRules;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reads members of a metadata document, failing with the document's name and the member's. */
final class MetadataReader {

	private final JsonNode json;

	private final String document;

	private final UrlRules urls;

	MetadataReader(JsonNode json, String document, UrlRules urls) {
		if (!json.isObject()) {
			throw new InvalidMetadataException(document + " is not a JSON object");
		}
		this.json = json;
		this.document = document;
		this.urls = urls;
	}

	@Nullable String text(String name) {
		JsonNode node = json.get(name);
		if (node == null || node.isNull()) {
			return null;
		}
		if (!node.isString()) {
			throw new InvalidMetadataException(document + ": " + name + " must be a string");
		}
		return node.stringValue();
	}

	String requiredText(String name) {
		String value = text(name);
		if (value == null || value.isEmpty()) {
			throw new InvalidMetadataException(document + " has no " + name);
		}
		return value;
	}

	@Nullable URI url(String name) {
		String value = text(name);
		if (value == null) {
			return null;
		}
		var problem = urls.check(value);
		if (problem.isPresent()) {
			throw new InvalidMetadataException(document + ": " + name + " " + problem.get());
		}
		return URI.create(value);
	}

	URI requiredUrl(String name) {
		URI value = url(name);
		if (value == null) {
			throw new InvalidMetadataException(document + " has no " + name);
		}
		return value;
	}

	List<String> strings(String name) {
		JsonNode node = json.get(name);
		if (node == null || node.isNull()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new InvalidMetadataException(document + ": " + name + " must be an array of strings");
		}
		List<String> values = new ArrayList<>();
		for (JsonNode item : node) {
			if (!item.isString()) {
				throw new InvalidMetadataException(document + ": " + name + " must be an array of strings");
			}
			values.add(item.stringValue());
		}
		return values;
	}

	boolean bool(String name) {
		JsonNode node = json.get(name);
		return node != null && node.isBoolean() && node.booleanValue();
	}

	boolean has(String name) {
		JsonNode node = json.get(name);
		return node != null && !node.isNull();
	}
}

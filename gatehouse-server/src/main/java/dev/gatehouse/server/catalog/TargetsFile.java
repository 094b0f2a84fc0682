package dev.gatehouse.server.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.gatehouse.core.target.FieldError;
import dev.gatehouse.core.target.InvalidTargetException;
import dev.gatehouse.core.target.Target;
import dev.gatehouse.core.target.TargetDefinitions;
import dev.gatehouse.core.target.UrlRules;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a targets file: a JSON or YAML list of targets in the registry schema (a document with a top-level
 * {@code targets} list is accepted too). Errors name the file, the entry and the field, such as
 * {@code targets[2].auth.tokenUrl}.
 */
final class TargetsFile {

	private TargetsFile() {
	}

	static List<Target> read(Path file, UrlRules urls) {
		JsonNode root = parse(file);
		if (root.isObject() && root.get("targets") != null) {
			root = root.get("targets");
		}
		if (!root.isArray()) {
			throw new InvalidTargetException("targets", "the targets file " + file
					+ " must hold a list of targets (or an object with a 'targets' list)");
		}
		List<Target> targets = new ArrayList<>();
		List<FieldError> errors = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (int i = 0; i < root.size(); i++) {
			try {
				Target target = TargetDefinitions.parse(root.get(i), urls);
				if (!names.add(target.name())) {
					errors.add(new FieldError("targets[" + i + "].name",
							"'" + target.name() + "' is defined twice in the targets file"));
				}
				targets.add(target);
			}
			catch (InvalidTargetException ex) {
				for (FieldError error : ex.errors()) {
					errors.add(new FieldError("targets[" + i + "]." + error.field(), error.message()));
				}
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidTargetException(errors);
		}
		return targets;
	}

	private static JsonNode parse(Path file) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		ObjectMapper mapper = (name.endsWith(".yaml") || name.endsWith(".yml")) ? new YAMLMapper()
				: JsonMapper.builder().build();
		try {
			String text = Files.readString(file);
			JsonNode root = mapper.readTree(text);
			if (root == null || root.isMissingNode()) {
				throw new InvalidTargetException("targets", "the targets file " + file + " is empty");
			}
			return root;
		}
		catch (IOException ex) {
			throw new InvalidTargetException("targets", "the targets file " + file + " cannot be read ("
					+ ex.getClass().getSimpleName() + ")");
		}
		catch (JacksonException ex) {
			throw new InvalidTargetException("targets",
					"the targets file " + file + " is not valid " + (mapper instanceof YAMLMapper ? "YAML" : "JSON")
							+ ": " + ex.getOriginalMessage());
		}
	}
}

package dev.gatehouse.demo.idp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Just enough HTML form parsing to do what a browser does on Spring Security's generated
 * login page and the provider's {@link ConsentPage}: find the form, keep its
 * hidden fields (the CSRF token, {@code client_id}, {@code state}), fill the credentials,
 * tick every scope or cancel, and post it to its {@code action}.
 *
 * <p>
 * Not a general HTML parser: it reads {@code <form>} and {@code <input>} tags with
 * regular expressions, which is enough for generated pages.
 *
 * @param action the {@code action} attribute (possibly relative; empty means the page's
 * own URL)
 * @param inputs the inputs, in document order
 */
record HtmlForm(String action, List<Input> inputs) {

	private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

	private static final Pattern ATTRIBUTE = Pattern
		.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+)))?");

	private static final Pattern NUMERIC_ENTITY = Pattern.compile("&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));");

	/**
	 * One {@code <input>}.
	 *
	 * @param type the lower-case type, {@code text} if absent
	 * @param name the name, empty if absent
	 * @param value the unescaped value, empty if absent
	 * @param disabled whether it has the {@code disabled} attribute
	 * @param checked whether it has the {@code checked} attribute
	 */
	record Input(String type, String name, String value, boolean disabled, boolean checked) {
	}

	/**
	 * The forms of a page, in document order.
	 * @param html the page
	 * @return the forms, possibly none
	 */
	static List<HtmlForm> parse(String html) {
		List<HtmlForm> forms = new ArrayList<>();
		Matcher form = FORM.matcher(html);
		while (form.find()) {
			Map<String, String> attributes = attributes(form.group(1));
			List<Input> inputs = new ArrayList<>();
			Matcher input = INPUT.matcher(form.group(2));
			while (input.find()) {
				Map<String, String> inputAttributes = attributes(input.group(1));
				inputs.add(new Input(inputAttributes.getOrDefault("type", "text").toLowerCase(Locale.ROOT),
						inputAttributes.getOrDefault("name", ""), inputAttributes.getOrDefault("value", ""),
						inputAttributes.containsKey("disabled"), inputAttributes.containsKey("checked")));
			}
			forms.add(new HtmlForm(attributes.getOrDefault("action", ""), List.copyOf(inputs)));
		}
		return forms;
	}

	/**
	 * The first form with a password field: a login form.
	 * @param html the page
	 * @return the form, or {@code null}
	 */
	static @Nullable HtmlForm loginForm(String html) {
		for (HtmlForm form : parse(html)) {
			if (form.inputs.stream().anyMatch((input) -> input.type().equals("password"))) {
				return form;
			}
		}
		return null;
	}

	/**
	 * The first form with {@code scope} checkboxes or a hidden {@code state}: a consent
	 * form.
	 * @param html the page
	 * @return the form, or {@code null}
	 */
	static @Nullable HtmlForm consentForm(String html) {
		for (HtmlForm form : parse(html)) {
			if (form.inputs.stream()
				.anyMatch((input) -> input.name().equals("scope") || (input.name().equals("state")
						&& input.type().equals("hidden")))) {
				return form;
			}
		}
		return null;
	}

	/**
	 * The fields a browser would post after the user typed the credentials: every hidden
	 * field, the first text or email field as username, every password field.
	 * @param username the username
	 * @param password the password
	 * @return the form fields
	 */
	Map<String, List<String>> credentials(String username, String password) {
		Map<String, List<String>> fields = hiddenFields();
		boolean usernameSet = false;
		for (Input input : this.inputs) {
			if (input.type().equals("password")) {
				fields.put(input.name(), List.of(password));
			}
			else if (!usernameSet && (input.type().equals("text") || input.type().equals("email"))) {
				fields.put(input.name(), List.of(username));
				usernameSet = true;
			}
		}
		return fields;
	}

	/**
	 * The fields a browser would post after the user ticked every box: every hidden field
	 * and every enabled checkbox.
	 * @return the form fields
	 */
	Map<String, List<String>> approveAll() {
		Map<String, List<String>> fields = hiddenFields();
		for (Input input : this.inputs) {
			if (input.type().equals("checkbox") && !input.disabled() && !input.name().isEmpty()) {
				fields.computeIfAbsent(input.name(), (name) -> new ArrayList<>()).add(input.value());
			}
		}
		return fields;
	}

	/**
	 * The fields a browser posts when the user clicks Cancel on the consent page: the
	 * hidden fields and no scope, so that the server answers {@code access_denied} (the
	 * provider's {@link ConsentPage} has a Cancel form of its own, with the same hidden
	 * fields).
	 * @return the form fields
	 */
	Map<String, List<String>> cancel() {
		return hiddenFields();
	}

	private Map<String, List<String>> hiddenFields() {
		Map<String, List<String>> fields = new LinkedHashMap<>();
		for (Input input : this.inputs) {
			if (input.type().equals("hidden") && !input.name().isEmpty()) {
				fields.computeIfAbsent(input.name(), (name) -> new ArrayList<>()).add(input.value());
			}
		}
		return fields;
	}

	private static Map<String, String> attributes(String tag) {
		Map<String, String> attributes = new LinkedHashMap<>();
		Matcher attribute = ATTRIBUTE.matcher(tag);
		while (attribute.find()) {
			String value = (attribute.group(2) != null) ? attribute.group(2)
					: (attribute.group(3) != null) ? attribute.group(3)
							: (attribute.group(4) != null) ? attribute.group(4) : "";
			attributes.putIfAbsent(attribute.group(1).toLowerCase(Locale.ROOT), unescape(value));
		}
		return attributes;
	}

	static String unescape(String text) {
		if (text.indexOf('&') < 0) {
			return text;
		}
		Matcher numeric = NUMERIC_ENTITY.matcher(text);
		StringBuilder decoded = new StringBuilder();
		while (numeric.find()) {
			int codePoint = (numeric.group(1) != null) ? Integer.parseInt(numeric.group(1), 16)
					: Integer.parseInt(numeric.group(2));
			String replacement = Character.isValidCodePoint(codePoint) ? new String(Character.toChars(codePoint))
					: numeric.group();
			numeric.appendReplacement(decoded, Matcher.quoteReplacement(replacement));
		}
		numeric.appendTail(decoded);
		return decoded.toString()
			.replace("&quot;", "\"")
			.replace("&apos;", "'")
			.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&amp;", "&");
	}

}

package dev.gatehouse.server.credentials;

import java.time.Duration;
import java.util.Map;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.access.CurrentCaller;
import dev.gatehouse.server.config.GatehouseProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The consent pages: {@code GET /connect/{target}} shows what connecting will do (after the person logged in as
 * the user the link was made for), {@code POST /connect/{target}} (CSRF-protected) sends the browser to the
 * authorization server with a binding cookie, and {@code GET /oauth/callback/{target}} completes the flow. Every
 * outcome is a page that says what happened and never shows a code, state or token. {@code GET /oauth/jwks} serves
 * the public key of the gateway's {@code private_key_jwt} client authentication.
 */
@Controller
final class ConnectController {

	private final AuthorizationFlow flow;

	private final ClientAssertions assertions;

	private final GatehouseProperties properties;

	ConnectController(AuthorizationFlow flow, ClientAssertions assertions, GatehouseProperties properties) {
		this.flow = flow;
		this.assertions = assertions;
		this.properties = properties;
	}

	@GetMapping("/connect/{target}")
	String review(@PathVariable String target, @RequestParam(name = "request", required = false) @Nullable String request,
			Model model, HttpServletResponse response) {
		try {
			model.addAttribute("review", flow.review(target, (request != null) ? request : "", CurrentCaller.get()));
			model.addAttribute("request", request);
			model.addAttribute("user", CurrentCaller.get().subject());
			return "connect";
		}
		catch (ConsentFlowException ex) {
			return failure(ex, model, response);
		}
	}

	@PostMapping("/connect/{target}")
	String decide(@PathVariable String target, @RequestParam(name = "request", required = false) @Nullable String request,
			@RequestParam(name = "decision", defaultValue = "connect") String decision, Model model,
			HttpServletResponse response) {
		Caller person = CurrentCaller.get();
		model.addAttribute("user", person.subject());
		try {
			if ("decline".equals(decision)) {
				flow.decline(target, (request != null) ? request : "", person);
				model.addAttribute("outcome", "declined");
				model.addAttribute("target", target);
				model.addAttribute("message", "You did not connect '" + target + "'. Nothing was stored.");
				return "connect-result";
			}
			AuthorizationFlow.Started started = flow.begin(target, (request != null) ? request : "", person);
			response.addHeader(HttpHeaders.SET_COOKIE, bindingCookie(target, started.binding(),
					properties.oauth().consentTtl()).toString());
			return "redirect:" + started.redirect();
		}
		catch (ConsentFlowException ex) {
			return failure(ex, model, response);
		}
	}

	@GetMapping("/oauth/callback/{target}")
	String callback(@PathVariable String target, @RequestParam Map<String, String> params, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		Caller person = person();
		model.addAttribute("user", (person != null) ? person.subject() : null);
		response.addHeader(HttpHeaders.SET_COOKIE, bindingCookie(target, "", Duration.ZERO).toString());
		try {
			Grant grant = flow.complete(target, params, cookie(request, cookieName(target)), person);
			model.addAttribute("outcome", "connected");
			model.addAttribute("target", target);
			model.addAttribute("scopes", grant.scopes());
			model.addAttribute("message", "Connected. Return to your agent and retry: the call will now go through.");
			return "connect-result";
		}
		catch (ConsentFlowException ex) {
			return failure(ex, model, response);
		}
	}

	@GetMapping(path = "/oauth/jwks", produces = MediaType.APPLICATION_JSON_VALUE)
	@ResponseBody
	Map<String, Object> jwks() {
		return assertions.publicJwks();
	}

	private static String failure(ConsentFlowException ex, Model model, HttpServletResponse response) {
		response.setStatus(ex.failure().status());
		model.addAttribute("outcome", "failed");
		model.addAttribute("reason", ex.failure().reason());
		model.addAttribute("target", ex.target());
		model.addAttribute("message", ex.getMessage());
		return "connect-result";
	}

	/**
	 * The cookie that binds a transaction to this browser: {@code __Host-} prefixed, {@code Secure} and scoped to
	 * the whole site when the gateway is served over https; otherwise (development on http) scoped to the
	 * target's callback path. {@code SameSite=Lax} so that it comes back with the authorization server's redirect.
	 */
	private ResponseCookie bindingCookie(String target, String value, Duration maxAge) {
		boolean https = "https".equalsIgnoreCase(properties.publicUrl().getScheme());
		return ResponseCookie.from(cookieName(target), value)
			.httpOnly(true)
			.secure(https)
			.sameSite("Lax")
			.path(https ? "/" : "/oauth/callback/" + target)
			.maxAge(maxAge)
			.build();
	}

	private String cookieName(String target) {
		boolean https = "https".equalsIgnoreCase(properties.publicUrl().getScheme());
		return (https ? "__Host-gatehouse-oauth-" : "gatehouse-oauth-") + target;
	}

	private static @Nullable String cookie(HttpServletRequest request, String name) {
		if (request.getCookies() == null) {
			return null;
		}
		for (Cookie cookie : request.getCookies()) {
			if (cookie.getName().equals(name) && !cookie.getValue().isEmpty()) {
				return cookie.getValue();
			}
		}
		return null;
	}

	private static @Nullable Caller person() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| "anonymousUser".equals(authentication.getPrincipal())) {
			return null;
		}
		try {
			return CurrentCaller.get();
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}
}

package dev.gatehouse.server.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.access.CurrentCaller;
import dev.gatehouse.server.credentials.Grant;
import dev.gatehouse.server.credentials.Grants;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/grants}: every user's upstream grants, without their tokens; revoke one, all of a target, or
 * all of a user. Revoking deletes the grant and revokes it at the authorization server when it can.
 */
@RestController
@RequestMapping("/admin/api/grants")
class GrantsController {

	private final Grants grants;

	GrantsController(Grants grants) {
		this.grants = grants;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	List<Map<String, Object>> list(@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String issuer,
			@RequestParam(required = false) @Nullable String subject) {
		return grants.list(target, issuer, subject).stream().map(GrantsController::json).toList();
	}

	@GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> get(@PathVariable String id) {
		return grants.find(id).map(GrantsController::json).orElseThrow(() -> notFound(id));
	}

	@DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> revoke(@PathVariable String id) {
		return grants.revoke(id, actor()).map(GrantsController::json).orElseThrow(() -> notFound(id));
	}

	/** Revokes all grants of a target ({@code ?target=}) or of a user ({@code ?subject=}, optional {@code issuer}). */
	@DeleteMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> revokeMany(@RequestParam(required = false) @Nullable String target,
			@RequestParam(required = false) @Nullable String issuer,
			@RequestParam(required = false) @Nullable String subject) {
		List<Grants.Revocation> done;
		if (target != null && subject == null && issuer == null) {
			done = grants.revokeTarget(target, actor());
		}
		else if (subject != null && target == null) {
			done = grants.revokeUser(issuer, subject, actor());
		}
		else {
			throw new BadRequestException((target == null && subject == null) ? "target" : "subject",
					"give either target (all grants of a target) or subject with an optional issuer (all grants of a "
							+ "user); revoking every grant at once is not offered");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("revoked", done.size());
		result.put("grants", done.stream().map(GrantsController::json).toList());
		return result;
	}

	static Map<String, Object> json(Grants.Revocation revocation) {
		Map<String, Object> json = json(revocation.grant());
		json.put("status", "revoked");
		json.put("authorizationServerRevocation", revocation.authorizationServer());
		if (revocation.detail() != null) {
			json.put("authorizationServerDetail", revocation.detail());
		}
		return json;
	}

	static Map<String, Object> json(Grant grant) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", grant.id());
		json.put("target", grant.target());
		json.put("issuer", grant.issuer());
		json.put("subject", grant.subject());
		json.put("grantType", grant.grantType());
		json.put("status", grant.status());
		if (grant.statusReason() != null) {
			json.put("statusReason", grant.statusReason());
		}
		json.put("authorizationServer", grant.authorizationServer());
		json.put("clientId", grant.clientId());
		json.put("scopes", grant.scopes());
		if (grant.accessExpiresAt() != null) {
			json.put("accessTokenExpiresAt", grant.accessExpiresAt().toString());
		}
		json.put("hasRefreshToken", grant.hasRefreshToken());
		json.put("refreshFailures", grant.refreshFailures());
		json.put("createdAt", grant.createdAt().toString());
		if (grant.lastUsedAt() != null) {
			json.put("lastUsedAt", grant.lastUsedAt().toString());
		}
		if (grant.lastRefreshedAt() != null) {
			json.put("lastRefreshedAt", grant.lastRefreshedAt().toString());
		}
		return json;
	}

	private static NotFoundException notFound(String id) {
		return new NotFoundException("grant-not-found", "there is no grant '" + id + "'");
	}

	static String actor() {
		Caller caller = CurrentCaller.get();
		return caller.issuer() + "|" + caller.subject();
	}
}

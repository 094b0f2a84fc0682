package dev.gatehouse.server.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.access.Decision;
import dev.gatehouse.server.access.AccessPolicy;
import dev.gatehouse.server.access.CurrentCaller;
import dev.gatehouse.server.access.PolicyService;
import dev.gatehouse.server.catalog.Catalog;
import dev.gatehouse.server.catalog.EntryKind;
import dev.gatehouse.server.catalog.Exposed;
import dev.gatehouse.server.catalog.StoredTarget;
import dev.gatehouse.server.catalog.TargetRegistry;
import dev.gatehouse.server.config.GatehouseProperties;
import dev.gatehouse.server.credentials.Grant;
import dev.gatehouse.server.credentials.Grants;
import dev.gatehouse.server.credentials.vault.KeyRotation;
import dev.gatehouse.server.credentials.vault.Vault;
import dev.gatehouse.server.audit.AuditIntegrity;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages for people: the home page, the admin dashboard ({@code /admin}, admin role) and "my connections"
 * ({@code /me/connections}, any logged-in user). No page shows a secret.
 */
@Controller
class PagesController {

	private final TargetRegistry registry;

	private final Catalog catalog;

	private final PolicyService policies;

	private final AccessPolicy access;

	private final GatehouseProperties properties;

	private final Grants grants;

	private final KeyRotation rotation;

	private final Vault vault;

	private final AuditIntegrity audit;

	PagesController(TargetRegistry registry, Catalog catalog, PolicyService policies, AccessPolicy access,
			GatehouseProperties properties, Grants grants, KeyRotation rotation, Vault vault, AuditIntegrity audit) {
		this.grants = grants;
		this.rotation = rotation;
		this.vault = vault;
		this.audit = audit;
		this.registry = registry;
		this.catalog = catalog;
		this.policies = policies;
		this.access = access;
		this.properties = properties;
	}

	@GetMapping("/")
	String home(Model model) {
		model.addAttribute("mcpUrl", properties.mcpUrl().toString());
		model.addAttribute("user", user());
		return "home";
	}

	@GetMapping({ "/admin", "/admin/" })
	String dashboard(Model model) {
		List<Map<String, Object>> targets = new ArrayList<>();
		for (StoredTarget stored : registry.all()) {
			Map<String, Object> t = new LinkedHashMap<>();
			t.put("name", stored.name());
			t.put("description", stored.target().description());
			t.put("enabled", stored.target().enabled());
			t.put("endpoint", stored.target().endpoint().toString());
			t.put("auth", stored.target().auth().type());
			t.put("source", stored.source());
			t.put("tools", catalog.snapshot().ofTarget(EntryKind.TOOL, stored.name()).size());
			var sync = catalog.status(stored.name());
			t.put("syncStatus", sync.map((s) -> s.status()).orElse("pending"));
			t.put("syncMessage", sync.map((s) -> s.message()).orElse(null));
			targets.add(t);
		}
		PolicyService.Current policy = policies.current();
		model.addAttribute("targets", targets);
		model.addAttribute("policy", Map.of("source", policy.source(), "version", policy.version(), "mode",
				policy.evaluator().policy().mode().key(), "rules", policy.evaluator().policy().rules().size()));
		model.addAttribute("drift", catalog.drift(null, 10));
		List<Grant> all = grants.list(null, null, null);
		model.addAttribute("grants", all.subList(0, Math.min(all.size(), 500)));
		model.addAttribute("grantCount", all.size());
		model.addAttribute("activeKeyId", vault.activeKeyId());
		model.addAttribute("rotation", rotation.latest().orElse(null));
		List<AuditIntegrity.Checkpoint> checkpoints = audit.checkpoints();
		model.addAttribute("lastCheckpoint", checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1));
		model.addAttribute("user", user());
		return "admin";
	}

	/** Revokes one grant from the dashboard (and at the authorization server when it can be). */
	@PostMapping("/admin/grants/{id}/revoke")
	String revokeGrant(@PathVariable String id, RedirectAttributes redirect) {
		Grant grant = grants.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such grant"));
		grants.revoke(id, GrantsController.actor());
		redirect.addFlashAttribute("notice", "Revoked the grant of " + grant.subject() + " for " + grant.target() + ".");
		return "redirect:/admin";
	}

	/** Revokes every grant of a target from the dashboard. */
	@PostMapping("/admin/targets/{name}/revoke-grants")
	String revokeTargetGrants(@PathVariable String name, RedirectAttributes redirect) {
		int revoked = grants.revokeTarget(name, GrantsController.actor()).size();
		redirect.addFlashAttribute("notice", "Revoked " + revoked + " grant(s) of " + name + ".");
		return "redirect:/admin";
	}

	/** Starts an online rotation of the vault's data key from the dashboard. */
	@PostMapping("/admin/vault/rotate-key")
	String rotateKey(RedirectAttributes redirect) {
		try {
			KeyRotation.Status status = rotation.start(GrantsController.actor());
			redirect.addFlashAttribute("notice", "Rotation to data key " + status.keyId() + " started: " + status.rowsTotal()
					+ " row(s) to re-seal in the background.");
		}
		catch (KeyRotation.RotationInProgressException ex) {
			redirect.addFlashAttribute("notice", "A rotation is already running.");
		}
		return "redirect:/admin";
	}

	/** Verifies the audit trail's hash chain from the dashboard. */
	@PostMapping("/admin/audit/verify")
	String verifyAudit(RedirectAttributes redirect) {
		AuditIntegrity.Verification result = audit.verify();
		redirect.addFlashAttribute("noticeFailed", !result.ok());
		redirect.addFlashAttribute("notice", result.ok()
				? "The audit trail verifies: " + result.recordsChecked() + " record(s), " + result.checkpointsChecked()
						+ " checkpoint(s)."
				: "The audit trail does NOT verify: " + result.problems().size() + " problem(s), the first at record "
						+ result.problems().get(0).seq() + " (" + result.problems().get(0).problem()
						+ "). See /admin/api/audit/verify.");
		return "redirect:/admin";
	}

	@GetMapping("/me/connections")
	String connections(Model model) {
		Caller caller = CurrentCaller.get();
		List<Map<String, Object>> tools = new ArrayList<>();
		for (Exposed tool : catalog.snapshot().list(EntryKind.TOOL)) {
			Decision decision = access.decide(caller, tool.target(), "tool", tool.upstreamName(), null);
			if (decision.allowed()) {
				tools.add(Map.of("name", tool.exposedName(), "target", tool.target(), "rule", decision.rule()));
			}
		}
		model.addAttribute("subject", caller.subject());
		model.addAttribute("issuer", caller.issuer());
		model.addAttribute("roles", new TreeSet<>(caller.roles()));
		model.addAttribute("tools", tools);
		model.addAttribute("connections", grants.list(null, caller.issuer(), caller.subject()));
		model.addAttribute("user", user());
		return "connections";
	}

	/** Disconnects one of the person's own grants (revoked at the authorization server when it can be). */
	@PostMapping("/me/connections/{id}/disconnect")
	String disconnect(@PathVariable String id, RedirectAttributes redirect) {
		Caller caller = CurrentCaller.get();
		Grant grant = grants.find(id)
			.filter((g) -> g.issuer().equals(caller.issuer()) && g.subject().equals(caller.subject()))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "You have no such connection"));
		grants.revoke(grant.id(), caller.issuer() + "|" + caller.subject());
		redirect.addAttribute("disconnected", grant.target());
		return "redirect:/me/connections";
	}

	private static String user() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| "anonymousUser".equals(authentication.getPrincipal())) {
			return null;
		}
		return authentication.getName();
	}
}

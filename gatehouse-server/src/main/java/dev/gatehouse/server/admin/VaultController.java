package dev.gatehouse.server.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.server.credentials.vault.KeyRotation;
import dev.gatehouse.server.credentials.vault.Vault;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/api/vault}: the active data key and the latest key rotation with its progress;
 * {@code POST /admin/api/vault/rotate-key} starts an online rotation (202) that re-seals every row in the
 * background.
 */
@RestController
@RequestMapping("/admin/api/vault")
class VaultController {

	private final Vault vault;

	private final KeyRotation rotation;

	VaultController(Vault vault, KeyRotation rotation) {
		this.vault = vault;
		this.rotation = rotation;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("activeKeyId", vault.activeKeyId());
		rotation.latest().ifPresent((r) -> status.put("rotation", json(r)));
		return status;
	}

	@PostMapping(path = "/rotate-key", produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> rotate() {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(json(rotation.start(GrantsController.actor())));
	}

	private static Map<String, Object> json(KeyRotation.Status r) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", r.id());
		json.put("keyId", r.keyId());
		json.put("status", r.status());
		json.put("rowsTotal", r.rowsTotal());
		json.put("rowsDone", r.rowsDone());
		json.put("rowsRemaining", r.rowsRemaining());
		json.put("startedAt", r.startedAt().toString());
		if (r.finishedAt() != null) {
			json.put("finishedAt", r.finishedAt().toString());
		}
		json.put("startedBy", r.startedBy());
		if (r.message() != null) {
			json.put("message", r.message());
		}
		return json;
	}
}

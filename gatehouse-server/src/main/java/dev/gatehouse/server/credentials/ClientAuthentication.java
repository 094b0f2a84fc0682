package dev.gatehouse.server.credentials;

import java.util.List;

import dev.gatehouse.core.secret.Secret;

/**
 * How the gateway authenticates at a token endpoint (RFC 6749 §2.3, RFC 7523 §2.2). A secret-based method holds
 * the secrets to try in order: the current one, then, during a rotation's grace period, the previous one.
 */
sealed interface ClientAuthentication permits ClientAuthentication.ClientSecretBasic,
		ClientAuthentication.ClientSecretPost, ClientAuthentication.PrivateKeyJwt, ClientAuthentication.None {

	/** The {@code token_endpoint_auth_method} name. */
	String method();

	/** {@code client_secret_basic}: HTTP Basic with the URL-encoded id and secret. */
	record ClientSecretBasic(List<Secret> secrets) implements ClientAuthentication {

		public ClientSecretBasic {
			secrets = List.copyOf(secrets);
		}

		@Override
		public String method() {
			return "client_secret_basic";
		}
	}

	/** {@code client_secret_post}: the id and secret in the form body. */
	record ClientSecretPost(List<Secret> secrets) implements ClientAuthentication {

		public ClientSecretPost {
			secrets = List.copyOf(secrets);
		}

		@Override
		public String method() {
			return "client_secret_post";
		}
	}

	/** {@code private_key_jwt}: a short-lived assertion signed with the gateway's key (published at /oauth/jwks). */
	record PrivateKeyJwt() implements ClientAuthentication {

		@Override
		public String method() {
			return "private_key_jwt";
		}
	}

	/** {@code none}: a public client, identified by its id only (PKCE still protects the code). */
	record None() implements ClientAuthentication {

		@Override
		public String method() {
			return "none";
		}
	}
}

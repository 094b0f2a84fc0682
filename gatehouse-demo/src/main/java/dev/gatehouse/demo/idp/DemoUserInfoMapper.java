package dev.gatehouse.demo.idp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcUserInfoAuthenticationContext;

/**
 * The OIDC UserInfo response: {@code sub} always; {@code preferred_username} with scope
 * {@code profile}; {@code email} and {@code email_verified} with scope {@code email};
 * {@code roles} and {@code groups} with scope {@code roles}. (Spring's default mapper
 * copies standard claims from the ID token only, so it would drop roles and groups.)
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#UserInfo">OpenID
 * Connect Core section 5.3</a>
 */
final class DemoUserInfoMapper implements Function<OidcUserInfoAuthenticationContext, OidcUserInfo> {

	static final String ROLES_SCOPE = "roles";

	private final IdentityProviderSettings settings;

	DemoUserInfoMapper(IdentityProviderSettings settings) {
		this.settings = settings;
	}

	@Override
	public OidcUserInfo apply(OidcUserInfoAuthenticationContext context) {
		String subject = context.getAuthorization().getPrincipalName();
		Set<String> scopes = context.getAccessToken().getScopes();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("sub", subject);
		DemoUser user = this.settings.user(subject);
		if (user != null) {
			if (scopes.contains(OidcScopes.PROFILE)) {
				claims.put("preferred_username", user.username());
			}
			if (scopes.contains(OidcScopes.EMAIL)) {
				claims.put("email", user.email());
				claims.put("email_verified", true);
			}
			if (scopes.contains(ROLES_SCOPE)) {
				claims.put("roles", user.roles());
				claims.put("groups", user.groups());
			}
		}
		return new OidcUserInfo(claims);
	}

}

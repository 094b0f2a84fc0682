package dev.gatehouse.demo.idp;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlFormTests {

	private static final String LOGIN_PAGE = """
			<html><body><div class="content">
			      <form class="login-form" method="post" action="/login">
			        <h2>Please sign in</h2>
			        <p><input type="text" id="username" name="username" placeholder="Username" required autofocus></p>
			        <p><input type="password" id="password" name="password" placeholder="Password" required></p>
			<input name="_csrf" type="hidden" value="a-b_c&#x3d;&amp;1" />
			        <button type="submit" class="primary">Sign in</button>
			      </form>
			</div></body></html>""";

	private static final String CONSENT_PAGE = """
			<form name="consent_form" method="post" action="/oauth2/authorize">
			    <input type="hidden" name="client_id" value="client-1">
			    <input type="hidden" name="state" value="st&amp;te">
			    <input class="form-check-input" type="checkbox" name="scope" value="roles" id="roles">
			    <input class="form-check-input" type="checkbox" name="scope" value="custom:read" id="custom:read">
			    <input class="form-check-input" type="checkbox" name="scope" id="openid" checked disabled>
			</form>""";

	@Test
	void loginFormWhenSpringLoginPageThenCredentialsWithUnescapedCsrfToken() {
		HtmlForm form = HtmlForm.loginForm(LOGIN_PAGE);

		assertThat(form).isNotNull();
		assertThat(form.action()).isEqualTo("/login");
		Map<String, List<String>> fields = form.credentials("alice", "secret");
		assertThat(fields).containsEntry("username", List.of("alice"))
			.containsEntry("password", List.of("secret"))
			.containsEntry("_csrf", List.of("a-b_c=&1"));
	}

	@Test
	void loginFormWhenNoPasswordFieldThenNull() {
		assertThat(HtmlForm.loginForm(CONSENT_PAGE)).isNull();
		assertThat(HtmlForm.loginForm("<html>no form</html>")).isNull();
	}

	@Test
	void consentFormWhenSasConsentPageThenApprovesEveryEnabledScope() {
		HtmlForm form = HtmlForm.consentForm(CONSENT_PAGE);

		assertThat(form).isNotNull();
		assertThat(form.action()).isEqualTo("/oauth2/authorize");
		assertThat(form.approveAll()).containsEntry("client_id", List.of("client-1"))
			.containsEntry("state", List.of("st&te"))
			.containsEntry("scope", List.of("roles", "custom:read"));
	}

	@Test
	void unescapeWhenEntitiesThenDecoded() {
		assertThat(HtmlForm.unescape("&lt;a&gt; &quot;b&quot; &#39;c&#x27; &amp;amp; &#xZZ;"))
			.isEqualTo("<a> \"b\" 'c' &amp; &#xZZ;");
	}

}

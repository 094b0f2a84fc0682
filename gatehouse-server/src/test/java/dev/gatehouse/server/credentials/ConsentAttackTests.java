package dev.gatehouse.server.credentials;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.HttpCookie;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.core.oauth.RandomTokens;
import dev.gatehouse.server.testing.AuditCapture;
import dev.gatehouse.server.testing.OAuthFixture;
import dev.gatehouse.server.testing.ScriptedBrowser;
import dev.gatehouse.server.testing.ScriptedBrowser.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks on the browser half of the authorization code flow, each against the real IdP (Spring Authorization
 * Server, with its consent screen), the OAuth-protected risk target and the gateway. Every refusal is checked three
 * ways: the page the browser gets (status and {@code data-reason}), what is stored (no grant, or the existing grant
 * unchanged: same id and version), and the audit trail ({@code consent_failed} with the reason, and never a code,
 * state, binding or token value in its text).
 */
class ConsentAttackTests {

	static final String TARGET = OAuthFixture.TARGET;

	/** A second target at the same authorization server, with its own callback: for mix-up and the IdP's consent. */
	static final String OTHER = "risk-copy";

	static OAuthFixture fixture;

	static AuditCapture audit;

	@BeforeAll
	static void start() {
		fixture = OAuthFixture.builder()
			.consentScreen(true)
			.target(OTHER, "{\"name\":\"" + OTHER + "\",\"endpoint\":\"{RISK}\",\"auth\":{\"type\":\"oauth2\","
					+ "\"authorizationUrl\":\"{ISSUER}/oauth2/authorize\",\"tokenUrl\":\"{ISSUER}/oauth2/token\","
					+ "\"scopes\":[\"risk:analyze\",\"data:read\"],\"clientId\":\"" + OAuthFixture.CLIENT_ID + "\","
					+ "\"clientSecret\":\"file:{SECRET_FILE}\"}}")
			.start();
		audit = AuditCapture.attach();
	}

	@AfterAll
	static void stop() {
		audit.close();
		fixture.close();
	}

	@BeforeEach
	void startClean() {
		Grants grants = fixture.gateway().bean(Grants.class);
		grants.revokeTarget(TARGET, "test");
		grants.revokeTarget(OTHER, "test");
		audit.clear();
	}

	// --- the callback's state ---

	@Test
	void callbackWhenStateIsReplayedThenRefusedAndTheGrantIsUnchanged() {
		Flow flow = Flow.start("alice", TARGET);
		Page connected = flow.browser.open(flow.callback.toString());
		assertThat(connected.body()).contains("data-outcome=\"connected\"");
		Grant before = grant("alice", TARGET).orElseThrow();

		Page replay = flow.browser.open(flow.callback.toString());

		assertRefused(replay, 409, "state_replayed");
		assertUnchanged(before);
		assertAudited("state_replayed", "alice", flow.secrets());
	}

	@Test
	void callbackWhenStateNeverExistedThenRefusedAndNothingIsStored() {
		String state = RandomTokens.generate(32);
		long transactions = count("oauth_transaction where used_at is not null");

		Page page = new ScriptedBrowser().open(callbackUrl(TARGET, Map.of("code", "made-up-code", "state", state)));

		assertRefused(page, 400, "state_unknown");
		assertThat(allGrants()).isEmpty();
		assertThat(count("oauth_transaction where used_at is not null")).as("no transaction consumed")
			.isEqualTo(transactions);
		assertAudited("state_unknown", null, List.of(state, "made-up-code"));
	}

	@Test
	void callbackWhenStateIsMissingThenRefusedAndNothingIsStored() {
		Page page = new ScriptedBrowser().open(callbackUrl(TARGET, Map.of("code", "a-code-without-state")));

		assertRefused(page, 400, "state_missing");
		assertThat(allGrants()).isEmpty();
		assertAudited("state_missing", null, List.of("a-code-without-state"));
	}

	// --- the code and PKCE ---

	@Test
	void callbackWhenAnAlreadyRedeemedCodeComesWithAFreshStateThenTheServerRefusesAndTheGrantIsUnchanged() {
		Flow first = Flow.start("alice", TARGET);
		assertThat(first.browser.open(first.callback.toString()).body()).contains("data-outcome=\"connected\"");
		Grant before = grant("alice", TARGET).orElseThrow();
		Flow second = Flow.start("alice", TARGET, first.browser);

		Page page = second.browser.open(second.callbackWith(Map.of("code", first.params.get("code"))));

		assertRefused(page, 502, "exchange_failed");
		assertThat(page.body()).contains("invalid_grant");
		assertUnchanged(before);
		assertAudited("exchange_failed", "alice", concat(first.secrets(), second.secrets()));
	}

	@Test
	void callbackWhenAnotherFlowsCodeIsInjectedThenPkceFailsAtTheServerAndNothingIsStored() {
		Flow victim = Flow.start("alice", TARGET);
		Flow attacker = Flow.start("bob", TARGET);

		Page page = attacker.browser.open(attacker.callbackWith(Map.of("code", victim.params.get("code"))));

		assertRefused(page, 502, "exchange_failed");
		assertThat(grant("bob", TARGET)).as("the attacker got no grant").isEmpty();
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("exchange_failed", "bob", concat(victim.secrets(), attacker.secrets()));
	}

	@Test
	void callbackWhenTheStoredVerifierIsGoneThenRefusedAsVerifierUnavailableAndNothingIsStored() {
		Flow flow = Flow.start("alice", TARGET);
		int tampered = jdbc().sql("update oauth_transaction set code_verifier = ? where state_hash = ?")
			.params(new byte[0], flow.stateHash())
			.update();
		assertThat(tampered).isEqualTo(1);

		Page page = flow.browser.open(flow.callback.toString());

		assertRefused(page, 400, "verifier_unavailable");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("verifier_unavailable", "alice", flow.secrets());
	}

	@Test
	void callbackWhenTheStoredVerifierWasCopiedFromAnotherTransactionThenItDoesNotOpenAndNothingIsStored() {
		Flow flow = Flow.start("alice", TARGET);
		Flow other = Flow.start("bob", TARGET);
		byte[] bobs = jdbc().sql("select code_verifier from oauth_transaction where state_hash = ?")
			.param(other.stateHash())
			.query(byte[].class)
			.single();
		jdbc().sql("update oauth_transaction set code_verifier = ? where state_hash = ?")
			.params(bobs, flow.stateHash())
			.update();

		Page page = flow.browser.open(flow.callback.toString());

		assertRefused(page, 400, "verifier_unavailable");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("verifier_unavailable", "alice", concat(flow.secrets(), other.secrets()));
	}

	@Test
	void callbackWhenItHasNeitherCodeNorErrorThenRefusedAsCodeMissing() {
		Flow flow = Flow.start("alice", TARGET);

		Page page = flow.browser.open(flow.callbackWithout("code"));

		assertRefused(page, 400, "code_missing");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("code_missing", "alice", flow.secrets());
	}

	// --- where the answer arrives, who brings it, and who sent it ---

	@Test
	void callbackOfAnotherTargetWhenGivenThisTargetsAnswerThenRefusedAsMixUpAndTheStateIsSpent() {
		Flow flow = Flow.start("alice", TARGET);

		Page page = flow.browser.open(callbackUrl(OTHER, flow.params));

		assertRefused(page, 400, "target_mismatch");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertThat(grant("alice", OTHER)).isEmpty();
		JsonNode failed = assertAudited("target_mismatch", "alice", flow.secrets());
		assertThat(failed.get("target").asString()).isEqualTo(OTHER);
		assertRefused(flow.browser.open(flow.callback.toString()), 409, "state_replayed");
		assertThat(grant("alice", TARGET)).as("an answer seen at the wrong callback is never accepted later").isEmpty();
	}

	@Test
	void callbackWhenOpenedInAnotherBrowserWithoutTheBindingCookieThenRefusedAndNothingIsStored() {
		Flow flow = Flow.start("alice", TARGET);

		Page page = new ScriptedBrowser().open(flow.callback.toString());

		assertRefused(page, 403, "browser_mismatch");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("browser_mismatch", "alice", flow.secrets());
	}

	@Test
	void callbackWhenAnotherUserIsLoggedInInTheStartingBrowserThenRefusedAsWrongUser() {
		Flow flow = Flow.start("alice", TARGET);
		ScriptedBrowser bob = new ScriptedBrowser();
		Page bobsPage = bob.open(mint("bob", TARGET));
		bob.login(bobsPage, "bob", "password");
		HttpCookie bobsSession = session(bob);
		flow.browser.cookies().getCookieStore().remove(null, session(flow.browser));
		flow.browser.cookies().getCookieStore().add(URI.create(fixture.gateway().baseUrl()), bobsSession);

		Page page = flow.browser.open(flow.callback.toString());

		assertRefused(page, 403, "wrong_user");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertThat(grant("bob", TARGET)).isEmpty();
		assertAudited("wrong_user", "alice", flow.secrets());
	}

	@Test
	void callbackWhenIssDiffersFromTheServersIssuerThenRefusedAsIssuerMismatch() {
		Flow flow = Flow.start("alice", TARGET);
		assertThat(flow.params.get("iss")).as("the demo IdP sends RFC 9207 iss").isEqualTo(fixture.idp().issuer());

		Page page = flow.browser.open(flow.callbackWith(Map.of("iss", "https://attacker.example")));

		assertRefused(page, 400, "issuer_mismatch");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("issuer_mismatch", "alice", flow.secrets());
	}

	@Test
	void callbackWhenIssIsMissingFromAServerThatAlwaysSendsItThenRefusedAsIssuerMissing() {
		Flow flow = Flow.start("alice", TARGET);

		Page page = flow.browser.open(flow.callbackWithout("iss"));

		assertRefused(page, 400, "issuer_missing");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("issuer_missing", "alice", flow.secrets());
	}

	@Test
	void callbackWhenTheAuthorizationTookLongerThanTheConsentTtlThenRefusedAsExpired() {
		Flow flow = Flow.start("alice", TARGET);
		fixture.clock().advance(Duration.ofMinutes(11));

		Page page = flow.browser.open(flow.callback.toString());

		assertRefused(page, 410, "transaction_expired");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("transaction_expired", "alice", flow.secrets());
	}

	@Test
	void callbackWhenTheServerAnswersAnotherErrorThenRefusedAsAuthorizationError() {
		Flow flow = Flow.start("alice", TARGET);
		Map<String, String> params = new LinkedHashMap<>(flow.params);
		params.remove("code");
		params.put("error", "server_error");

		Page page = flow.browser.open(callbackUrl(TARGET, params));

		assertRefused(page, 502, "authorization_error");
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("authorization_error", "alice", flow.secrets());
	}

	@Test
	void consentDeniedOnTheAuthorizationServersOwnScreenThenRefusedAsDeniedAndNothingIsStored() {
		// carol (admin) may obtain every scope of the other target and has never approved this client at the IdP.
		ScriptedBrowser browser = new ScriptedBrowser();
		String link = mint("carol", OTHER);
		Page page = loggedInConsentPage(browser, "carol", link);
		Page atServer = browser.submit(page, "form[action*=/connect/]", Map.of("decision", "connect"), callbackOf(OTHER));
		assertThat(atServer.location()).as("the IdP's consent screen shows first").isNull();
		assertThat(atServer.isAt(fixture.idp().issuer())).isTrue();
		assertThat(atServer.document().select("input[name=scope]")).isNotEmpty();
		// The demo IdP's Cancel button is a form of its own that posts no scope.
		Page cancelled = browser.submit(atServer, "form#cancel_form", Map.of(), callbackOf(OTHER));
		assertThat(cancelled.location()).as("the IdP sends the browser back").isNotNull();
		Map<String, String> params = query(cancelled.location());
		assertThat(params).containsEntry("error", "access_denied").containsKey("state").doesNotContainKey("code");

		Page result = browser.open(cancelled.location().toString());

		assertRefused(result, 403, "denied");
		assertThat(grant("carol", OTHER)).isEmpty();
		assertAudited("denied", "carol", List.of(params.get("state"), requestId(link)));
	}

	// --- the consent link and the gateway's own page ---

	@Test
	void consentLinkWhenOpenedByAnotherUserThenRefusedAndStillUsableByItsOwner() {
		String link = mint("alice", TARGET);
		ScriptedBrowser bob = new ScriptedBrowser();
		Page login = bob.open(link);

		Page page = bob.login(login, "bob", "password");

		assertRefused(page, 403, "wrong_user");
		assertThat(count("oauth_transaction where consent_request_hash = '" + hash(requestId(link)) + "'")).isZero();
		assertThat(linkUsed(link)).isFalse();
		assertThat(grant("bob", TARGET)).isEmpty();
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("wrong_user", "bob", List.of(requestId(link)));

		Page connected = fixture.connect("alice", link);
		assertThat(connected.body()).contains("data-outcome=\"connected\"");
		assertThat(grant("alice", TARGET)).isPresent();
	}

	@Test
	void consentLinkWhenItsIdIsUnknownThenRefusedAsInvalidAndNothingIsStarted() {
		String forged = RandomTokens.generate(32);
		long transactions = count("oauth_transaction");
		ScriptedBrowser browser = new ScriptedBrowser();
		String link = fixture.gateway().baseUrl() + "/connect/" + TARGET + "?request=" + forged;

		Page page = browser.login(browser.open(link), "alice", "password");

		assertRefused(page, 400, "invalid_link");
		assertThat(count("oauth_transaction")).as("no authorization started").isEqualTo(transactions);
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("invalid_link", "alice", List.of(forged));
	}

	@Test
	void consentLinkWhenTheUsersRolesMayObtainNoScopeOfTheTargetThenRefusedAndNothingIsStarted() {
		// The seed policy lets carol (admin) call the target, but names no upstream scope for her role.
		String link = mint("carol", TARGET);
		ScriptedBrowser browser = new ScriptedBrowser();

		Page page = browser.login(browser.open(link), "carol", "password");

		assertRefused(page, 403, "no_scope");
		assertThat(count("oauth_transaction where consent_request_hash = '" + hash(requestId(link)) + "'")).isZero();
		assertThat(grant("carol", TARGET)).isEmpty();
		assertAudited("no_scope", "carol", List.of(requestId(link)));
	}

	@Test
	void consentLinkWhenExpiredThenRefusedAndNothingIsStarted() {
		String link = mint("alice", TARGET);
		fixture.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
		ScriptedBrowser browser = new ScriptedBrowser();

		Page page = browser.login(browser.open(link), "alice", "password");

		assertRefused(page, 410, "link_expired");
		assertThat(count("oauth_transaction where consent_request_hash = '" + hash(requestId(link)) + "'")).isZero();
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("link_expired", "alice", List.of(requestId(link)));
	}

	@Test
	void consentLinkWhenUsedTwiceThenTheSecondUseIsRefused() {
		Flow flow = Flow.start("alice", TARGET);
		Page again = flow.browser.open(flow.link);

		assertRefused(again, 409, "link_used");
		assertThat(count("oauth_transaction where consent_request_hash = '" + hash(requestId(flow.link)) + "'"))
			.as("only the first use started an authorization")
			.isEqualTo(1);
		assertThat(grant("alice", TARGET)).isEmpty();
		assertAudited("link_used", "alice", flow.secrets());
	}

	@Test
	void consentPostWithoutCsrfTokenIsRefusedAndStoresNothing() {
		String link = mint("alice", TARGET);
		ScriptedBrowser browser = new ScriptedBrowser();
		Page consent = loggedInConsentPage(browser, "alice", link);
		assertThat(consent.document().select("form[action*=/connect/] input[name=_csrf]")).as("the form has a token")
			.isNotEmpty();

		Page forged = browser.post(fixture.gateway().baseUrl() + "/connect/" + TARGET,
				Map.of("request", requestId(link), "decision", "connect"));

		assertThat(forged.status()).isEqualTo(403);
		assertThat(forged.hops()).as("no redirect to the authorization server").hasSize(1);
		assertThat(forged.header("Set-Cookie")).as("no binding cookie").satisfiesAnyOf(
				(c) -> assertThat(c).isNull(), (c) -> assertThat(c).doesNotContain("gatehouse-oauth-"));
		assertThat(linkUsed(link)).isFalse();
		assertThat(count("oauth_transaction where consent_request_hash = '" + hash(requestId(link)) + "'")).isZero();
		assertThat(grant("alice", TARGET)).isEmpty();
		assertThat(browser.open(link).body()).as("the link still works with the real form").contains("id=\"connect\"");
	}

	@Test
	void consentAndResultPagesCannotBeFramedCachedOrLeakTheirUrl() {
		String link = mint("alice", TARGET);
		ScriptedBrowser browser = new ScriptedBrowser();
		Page consent = loggedInConsentPage(browser, "alice", link);
		assertProtected(consent);
		Page stopped = browser.submit(consent, "form[action*=/connect/]", Map.of("decision", "connect"),
				callbackOf(TARGET));
		if (stopped.location() == null) {
			stopped = browser.submitRepeated(stopped, "form", "scope",
					stopped.document().select("input[name=scope]").eachAttr("value"), callbackOf(TARGET));
		}
		Page connected = browser.open(stopped.location().toString());
		assertThat(connected.body()).contains("data-outcome=\"connected\"");
		assertProtected(connected);
		Page failed = browser.open(stopped.location().toString());
		assertThat(failed.body()).contains("data-outcome=\"failed\"");
		assertProtected(failed);
		assertProtected(new ScriptedBrowser().open(callbackUrl(TARGET, Map.of("code", "x"))));
	}

	// --- helpers ---

	/** A flow started by {@code user} and stopped before the authorization server's redirect to the callback. */
	record Flow(ScriptedBrowser browser, String user, String target, String link, URI callback,
			Map<String, String> params) {

		static Flow start(String user, String target) {
			return start(user, target, new ScriptedBrowser());
		}

		static Flow start(String user, String target, ScriptedBrowser browser) {
			String link = mint(user, target);
			Page consent = loggedInConsentPage(browser, user, link);
			Page page = browser.submit(consent, "form[action*=/connect/]", Map.of("decision", "connect"),
					callbackOf(target));
			if (page.location() == null && page.isAt(fixture.idp().issuer())) {
				page = browser.submitRepeated(page, "form", "scope",
						page.document().select("input[name=scope]").eachAttr("value"), callbackOf(target));
			}
			assertThat(page.location()).as("stopped before the callback: " + page.url() + "\n" + page.body())
				.isNotNull();
			Map<String, String> params = query(page.location());
			assertThat(params).containsKeys("code", "state");
			return new Flow(browser, user, target, link, page.location(), params);
		}

		/** The callback URL with some parameters replaced. */
		String callbackWith(Map<String, String> replaced) {
			Map<String, String> all = new LinkedHashMap<>(params);
			all.putAll(replaced);
			return callbackUrl(target, all);
		}

		String callbackWithout(String name) {
			Map<String, String> all = new LinkedHashMap<>(params);
			all.remove(name);
			return callbackUrl(target, all);
		}

		String stateHash() {
			return hash(params.get("state"));
		}

		/** Values that must never appear in an audit record or a page. */
		List<String> secrets() {
			List<String> secrets = new ArrayList<>(List.of(params.get("code"), params.get("state"), requestId(link)));
			browser.cookies().getCookieStore().getCookies().stream()
				.filter((c) -> c.getName().startsWith("gatehouse-oauth-") || c.getName().equals("GATEHOUSE_SESSION"))
				.map(HttpCookie::getValue)
				.filter((v) -> !v.isEmpty())
				.forEach(secrets::add);
			return secrets;
		}
	}

	/** A consent link for {@code user}, made by the gateway as for an agent's call that needs the user's grant. */
	static String mint(String user, String target) {
		Caller caller = new Caller(fixture.idp().issuer(), user, null, Set.of(), Set.of());
		return fixture.gateway()
			.bean(ConsentRequests.class)
			.create(caller, target, null, ConsentRequiredException.Reason.NOT_CONNECTED)
			.url()
			.toString();
	}

	/** Opens a link, logs in at the IdP if asked, and returns the gateway's consent page. */
	static Page loggedInConsentPage(ScriptedBrowser browser, String user, String link) {
		Page page = browser.open(link);
		if (page.isAt(fixture.idp().issuer() + "/login")) {
			page = browser.login(page, user, "password");
		}
		assertThat(page.body()).as("the gateway's consent page at " + page.url()).contains("id=\"connect\"");
		return page;
	}

	static Predicate<URI> callbackOf(String target) {
		return (uri) -> uri.getPath().equals("/oauth/callback/" + target);
	}

	static String callbackUrl(String target, Map<String, String> params) {
		StringBuilder url = new StringBuilder(fixture.gateway().baseUrl() + "/oauth/callback/" + target);
		char separator = '?';
		for (Map.Entry<String, String> e : params.entrySet()) {
			url.append(separator).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
				.append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
			separator = '&';
		}
		return url.toString();
	}

	static Map<String, String> query(URI uri) {
		Map<String, String> params = new LinkedHashMap<>();
		for (String pair : uri.getRawQuery().split("&")) {
			int eq = pair.indexOf('=');
			params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return params;
	}

	static String requestId(String link) {
		return query(URI.create(link)).get("request");
	}

	static String hash(String value) {
		return RandomTokens.sha256Hex(value);
	}

	static HttpCookie session(ScriptedBrowser browser) {
		return browser.cookies()
			.getCookieStore()
			.getCookies()
			.stream()
			.filter((c) -> c.getName().equals("GATEHOUSE_SESSION"))
			.findFirst()
			.orElseThrow();
	}

	static void assertRefused(Page page, int status, String reason) {
		assertThat(page.status()).as(page.body()).isEqualTo(status);
		assertThat(page.body()).contains("data-outcome=\"failed\"").contains("data-reason=\"" + reason + "\"");
	}

	static void assertProtected(Page page) {
		assertThat(page.header("X-Frame-Options")).as(page.url().toString()).isEqualTo("DENY");
		assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
		assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
		assertThat(page.header("Cache-Control")).contains("no-store");
	}

	/**
	 * Waits for the {@code consent_failed} record with {@code reason} and checks that no record of this test holds
	 * any of {@code secrets}.
	 */
	static JsonNode assertAudited(String reason, String subject, List<String> secrets) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> audit.ofType("consent_failed").stream()
				.anyMatch((r) -> reason.equals(r.path("reason").asString(null))));
		JsonNode record = audit.ofType("consent_failed").stream()
			.filter((r) -> reason.equals(r.path("reason").asString(null)))
			.findFirst()
			.orElseThrow();
		if (subject != null) {
			assertThat(record.path("subject").asString(null)).isEqualTo(subject);
		}
		String text = audit.text();
		for (String secret : secrets) {
			assertThat(text).as("the audit trail holds no code, state, link id or cookie").doesNotContain(secret);
		}
		return record;
	}

	static void assertUnchanged(Grant before) {
		Grant after = grant(before.subject(), before.target()).orElseThrow();
		assertThat(after.id()).isEqualTo(before.id());
		assertThat(after.version()).isEqualTo(before.version());
		assertThat(allGrants()).hasSize(1);
	}

	static Optional<Grant> grant(String subject, String target) {
		return fixture.gateway().bean(Grants.class).list(target, null, subject).stream().findFirst();
	}

	static List<Grant> allGrants() {
		return fixture.gateway().bean(Grants.class).list(null, null, null);
	}

	static boolean linkUsed(String link) {
		return count("consent_request where id_hash = '" + hash(requestId(link)) + "' and used_at is not null") > 0;
	}

	static long count(String fromWhere) {
		return jdbc().sql("select count(*) from " + fromWhere).query(Long.class).single();
	}

	static JdbcClient jdbc() {
		return fixture.gateway().bean(JdbcClient.class);
	}

	static List<String> concat(List<String> a, List<String> b) {
		List<String> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
	}
}

/**
 * A demo identity provider built on Spring Authorization Server (the
 * {@code spring-security-oauth2-authorization-server} module of Spring Security 7), and a
 * scripted browser for it.
 *
 * <p>
 * Public API: {@link dev.gatehouse.demo.idp.DemoIdentityProvider} (a real OAuth 2.1 /
 * OpenID Connect authorization server on {@code 127.0.0.1} with fixed demo users, RFC 8707
 * resource indicators as the access token audience, RFC 9068 {@code at+jwt} access
 * tokens, open RFC 7591 dynamic client registration, RFC 9207 {@code iss}, refresh token
 * reuse detection, and observation for tests), {@link dev.gatehouse.demo.idp.DemoClient}
 * (pre-registered clients: secrets, {@code private_key_jwt}, client credentials, consent),
 * {@link dev.gatehouse.demo.idp.TokenRequest} (a credential-free record of a token
 * request), {@link dev.gatehouse.demo.idp.DemoUser}, and
 * {@link dev.gatehouse.demo.idp.HeadlessLogin} (an authorization code + PKCE login over
 * HTTP, as a browser would do it) with its
 * {@link dev.gatehouse.demo.idp.HeadlessLoginException}. Everything else is
 * package-private. See this module's {@code README.md} for the claims and the quirks a
 * resource server or OIDC client meets.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-v2-1">OAuth
 * 2.1</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc8707">RFC 8707 Resource
 * Indicators</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc9068">RFC 9068 JWT Access
 * Tokens</a>
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7591">RFC 7591 Dynamic Client
 * Registration</a>
 */
@NullMarked
package dev.gatehouse.demo.idp;

import org.jspecify.annotations.NullMarked;

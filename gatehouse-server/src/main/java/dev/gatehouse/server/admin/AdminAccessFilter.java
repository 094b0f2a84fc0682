package dev.gatehouse.server.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.access.AuthenticationRequiredException;
import dev.gatehouse.server.access.InboundAuthenticator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /admin/**}: the caller must authenticate and hold the {@code admin} role. Refusals are problem
 * details.
 */
@Configuration(proxyBeanMethods = false)
class AdminAccessFilter {

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> adminAccess(InboundAuthenticator authenticator) {
		OncePerRequestFilter filter = new OncePerRequestFilter() {
			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
					throws ServletException, IOException {
				Caller caller;
				try {
					caller = authenticator.authenticate(request);
				}
				catch (AuthenticationRequiredException ex) {
					response.setHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"");
					write(response, 401, "unauthorized", "Unauthorized", ex.getMessage());
					return;
				}
				if (!caller.roles().contains("admin")) {
					write(response, 403, "forbidden", "Forbidden", "the admin API needs the admin role");
					return;
				}
				chain.doFilter(request, response);
			}
		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/admin/*");
		registration.setName("adminAccess");
		return registration;
	}

	private static void write(HttpServletResponse response, int status, String type, String title, String detail)
			throws IOException {
		String body = "{\"type\":\"" + Problems.BASE + type + "\",\"title\":\"" + title + "\",\"status\":" + status
				+ ",\"detail\":" + tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(detail) + "}";
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
	}
}

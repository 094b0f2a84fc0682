package dev.gatehouse.server.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gatehouse.core.access.Caller;
import dev.gatehouse.server.access.CurrentCaller;
import dev.gatehouse.server.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Records every change made through the admin API or the dashboard's forms ({@code admin_action}: who, method,
 * path, status), refused ones included. Reads are not recorded (the audit search itself would otherwise flood the trail). Never records a
 * request body: it may carry a client secret.
 */
@Configuration(proxyBeanMethods = false)
class AdminActionAudit implements WebMvcConfigurer {

	private final AuditTrail audit;

	AdminActionAudit(AuditTrail audit) {
		this.audit = audit;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new HandlerInterceptor() {
			@Override
			public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
					@Nullable Exception ex) {
				String method = request.getMethod();
				if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) {
					return;
				}
				Map<String, Object> fields = new LinkedHashMap<>();
				try {
					Caller caller = CurrentCaller.get();
					fields.put("issuer", caller.issuer());
					fields.put("subject", caller.subject());
				}
				catch (IllegalStateException notAuthenticated) {
					fields.put("subject", null);
				}
				fields.put("method", method);
				fields.put("path", request.getRequestURI());
				fields.put("status", response.getStatus());
				fields.put("outcome", (response.getStatus() < 400 && ex == null) ? "success" : "refused");
				audit.event("admin_action", fields);
			}
		}).addPathPatterns("/admin/api/**", "/admin/**");
	}
}

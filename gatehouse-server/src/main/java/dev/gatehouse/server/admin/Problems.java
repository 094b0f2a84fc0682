package dev.gatehouse.server.admin;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.gatehouse.core.target.FieldError;
import dev.gatehouse.core.policy.InvalidPolicyException;
import dev.gatehouse.core.target.InvalidTargetException;
import dev.gatehouse.server.catalog.TargetConflictException;
import dev.gatehouse.server.catalog.TargetNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns admin API failures into RFC 9457 problem details ({@code application/problem+json}); a validation
 * problem lists every field at fault in {@code errors}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9457">RFC 9457</a>
 */
@RestControllerAdvice(basePackageClasses = Problems.class)
class Problems {

	private static final Logger logger = LoggerFactory.getLogger(Problems.class);

	static final String BASE = "https://gatehouse.dev/problems/";

	@ExceptionHandler(InvalidTargetException.class)
	ProblemDetail invalid(InvalidTargetException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-target", "Invalid target", ex.getMessage());
		List<Map<String, String>> errors = ex.errors()
			.stream()
			.map((FieldError e) -> Map.of("field", e.field(), "message", e.message()))
			.toList();
		problem.setProperty("errors", errors);
		return problem;
	}

	@ExceptionHandler(InvalidPolicyException.class)
	ProblemDetail invalidPolicy(InvalidPolicyException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-policy", "Invalid policy", ex.getMessage());
		problem.setProperty("errors", ex.errors()
			.stream()
			.map((FieldError e) -> Map.of("field", e.field(), "message", e.message()))
			.toList());
		return problem;
	}

	@ExceptionHandler(BadRequestException.class)
	ProblemDetail badRequest(BadRequestException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", ex.field(), "message", ex.getMessage())));
		return problem;
	}

	@ExceptionHandler(org.springframework.web.bind.MissingServletRequestParameterException.class)
	ProblemDetail missingParameter(org.springframework.web.bind.MissingServletRequestParameterException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
				"the parameter '" + ex.getParameterName() + "' is required");
		problem.setProperty("errors", List.of(Map.of("field", ex.getParameterName(), "message", "is required")));
		return problem;
	}

	@ExceptionHandler(TargetNotFoundException.class)
	ProblemDetail notFound(TargetNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "target-not-found", "Target not found", ex.getMessage());
	}

	@ExceptionHandler(TargetConflictException.class)
	ProblemDetail conflict(TargetConflictException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "target-conflict", "Conflict", ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", ex.field(), "message", ex.getMessage())));
		return problem;
	}

	@ExceptionHandler(ConflictException.class)
	ProblemDetail conflict(ConflictException ex) {
		return problem(HttpStatus.CONFLICT, "conflict", "Conflict", ex.getMessage());
	}

	@ExceptionHandler(dev.gatehouse.server.credentials.vault.KeyRotation.RotationInProgressException.class)
	ProblemDetail rotationRunning(dev.gatehouse.server.credentials.vault.KeyRotation.RotationInProgressException ex) {
		return problem(HttpStatus.CONFLICT, "rotation-in-progress", "Rotation in progress", ex.getMessage());
	}

	@ExceptionHandler(NotFoundException.class)
	ProblemDetail notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.type(), "Not found", ex.getMessage());
	}

	@ExceptionHandler(PreconditionFailedException.class)
	ProblemDetail precondition(PreconditionFailedException ex) {
		return problem(HttpStatus.PRECONDITION_FAILED, "precondition-failed", "Precondition failed", ex.getMessage());
	}

	@ExceptionHandler(MalformedBodyException.class)
	ProblemDetail malformed(MalformedBodyException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", "$", "message", ex.getMessage())));
		return problem;
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ProblemDetail unreadable(HttpMessageNotReadableException ex) {
		return problem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", "the request body is missing or unreadable");
	}

	@ExceptionHandler(HttpMediaTypeNotSupportedException.class)
	ProblemDetail mediaType(HttpMediaTypeNotSupportedException ex) {
		return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
				"the Content-Type header must be application/json");
	}

	static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(BASE + type));
		problem.setTitle(title);
		return problem;
	}
}

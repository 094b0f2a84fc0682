package dev.gatehouse.server;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The rules the build enforces on the code's shape: the core is plain Java, all cryptography is in
 * one package, time is injected, and nothing prints to the console.
 */
class ArchitectureTests {

	static JavaClasses main;

	@BeforeAll
	static void importClasses() {
		main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.gatehouse.core", "dev.gatehouse.server");
	}

	@Test
	void coreDependsOnNeitherSpringNorTheServer() {
		ArchRule rule = noClasses().that()
			.resideInAPackage("dev.gatehouse.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "dev.gatehouse.server..", "jakarta.servlet..");
		rule.check(main);
	}

	@Test
	void onlyTheCryptoPackageCreatesCiphers() {
		ArchRule rule = noClasses().that()
			.resideOutsideOfPackage("dev.gatehouse.core.crypto..")
			.should()
			.callMethod(javax.crypto.Cipher.class, "getInstance", String.class)
			.because("all cryptography goes through dev.gatehouse.core.crypto");
		rule.check(main);
	}

	@Test
	void timeComesFromAnInjectedClock() {
		ArchRule rule = noClasses().should()
			.callMethod(java.time.Instant.class, "now")
			.orShould()
			.callMethod(java.time.LocalDateTime.class, "now")
			.orShould()
			.callMethod(java.time.Clock.class, "systemDefaultZone")
			.because("expiries and timestamps must be testable with a fixed clock");
		rule.check(main);
	}

	@Test
	void nothingPrintsToTheConsole() {
		ArchRule rule = noClasses().that()
			.doNotHaveFullyQualifiedName("dev.gatehouse.server.audit.AuditStream")
			.should()
			.accessField(System.class, "out")
			.orShould()
			.accessField(System.class, "err")
			.because("logs go through SLF4J, where secrets are never formatted (the audit stream, whose records hold "
					+ "no secret by construction, may write to standard output for SIEM collectors)");
		rule.check(main);
	}

	@Test
	void capabilitiesDoNotReachIntoTheHttpEdgeOfMcp() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage("dev.gatehouse.server.catalog..", "dev.gatehouse.server.upstream..",
					"dev.gatehouse.server.credentials..", "dev.gatehouse.server.egress..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.gatehouse.server.mcp..");
		rule.check(main);
	}
}

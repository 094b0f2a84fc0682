/**
 * The API-key protected demo upstream "risk-assessment-mcp": deterministic portfolio risk
 * figures ({@code analyze_portfolio_risk}) and credit ratings from a fixed, fictional
 * table ({@code get_credit_rating}).
 *
 * <p>
 * Entry point: {@link dev.gatehouse.demo.risk.RiskAssessmentServer}. All figures are
 * illustrative, computed from built-in tables, never from market data.
 */
@NullMarked
package dev.gatehouse.demo.risk;

import org.jspecify.annotations.NullMarked;

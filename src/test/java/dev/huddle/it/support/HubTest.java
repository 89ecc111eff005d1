package dev.huddle.it.support;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An integration test against real huddle processes: {@link HubTestExtension} gives it what it declares and cleans up.
 * <ul>
 *   <li>{@link TestHome}: a fresh, private {@code HUDDLE_HOME}. One per test (all {@code TestHome} parameters and
 *       instance fields of a test, and of its {@code @BeforeEach}/{@code @AfterEach} methods, are the same home), or
 *       one per class for a {@code static} field or a parameter of a {@code @BeforeAll} method.</li>
 *   <li>{@link TestHomes}: that scope's homes, for a test that makes more (a home inside a home).</li>
 *   <li>{@link Project @Project} {@code Path}: a project directory (or a real git repository) in that home.</li>
 *   <li>{@link ClaudeCode}: the real Claude Code CLI with a private {@code HOME}, against that home's hub (skipped
 *       where the CLI is not installed, except under CI).</li>
 *   <li>{@link Codex}: the real Codex CLI with a private {@code HOME} and {@code CODEX_HOME} and a scripted Responses
 *       API, against that home's hub (skipped likewise).</li>
 *   <li>{@link Gemini}: the real Gemini CLI with a private {@code HOME} (its settings ready for an offline run), against
 *       that home's hub (skipped where the CLI is not installed, except under CI).</li>
 * </ul>
 * Fields are injected before {@code @BeforeAll} (static) and {@code @BeforeEach} (instance) methods run. Everything is
 * closed after the test, or after the class, also when it fails: fronts and agents the home started, its hub, every
 * process that carries the home in its environment, and its directories. When a test fails, the tails of the hub
 * logs of its homes (and its class's) are added to the failure, with what the scripted models were asked.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HubTestExtension.class)
public @interface HubTest {
}

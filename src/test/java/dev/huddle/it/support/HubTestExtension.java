package dev.huddle.it.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The extension behind {@link HubTest} (modelled on maven-mvnd's {@code MvndTestExtension}): it keeps a {@link Scope}
 * per test class and per test in JUnit's store, which closes it when that context ends (after the
 * {@code @AfterEach}/{@code @AfterAll} methods, failed or not), injects fields before the set-up methods run,
 * resolves parameters, and adds the hub logs to a failure before anything is closed.
 */
public final class HubTestExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HubTestExtension.class);

    /** Store keys: a test's context sees its class's values too, so the two scopes need keys of their own. */
    private enum Level { CLASS, TEST }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        if (wants(context.getRequiredTestClass(), Gemini.class)) Gemini.binary(); // skips the class without the CLI
        injectFields(context.getRequiredTestClass(), null, scope(context, Level.CLASS));
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Class<?> testClass = context.getRequiredTestClass();
        // skips here: a parameter resolver's abort would be a failure
        if (wants(testClass, ClaudeCode.class)) ClaudeCode.binary();
        if (wants(testClass, Codex.class)) Codex.binary();
        if (wants(testClass, Gemini.class)) Gemini.binary();
        injectFields(testClass, context.getRequiredTestInstance(), scope(context, Level.TEST));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        attachDiagnostics(context, Level.TEST, Level.CLASS);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        attachDiagnostics(context, Level.CLASS);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestHome.class || type == TestHomes.class || type == ClaudeCode.class || type == Codex.class || type == Gemini.class
                || type == Path.class && parameter.isAnnotated(Project.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Executable declaring = parameter.getDeclaringExecutable();
        Level level = Modifier.isStatic(declaring.getModifiers()) ? Level.CLASS : Level.TEST;
        Parameter p = parameter.getParameter();
        return scope(context, level).supply(p.getType(), parameter.findAnnotation(Project.class).orElse(null));
    }

    private static Scope scope(ExtensionContext context, Level level) {
        return context.getStore(NAMESPACE).computeIfAbsent(level, k -> new Scope(), Scope.class);
    }

    private static void injectFields(Class<?> testClass, Object instance, Scope scope) throws IllegalAccessException {
        for (Field f : fields(testClass)) {
            if (Modifier.isStatic(f.getModifiers()) != (instance == null)) continue;
            Project project = f.getAnnotation(Project.class);
            boolean wanted = f.getType() == TestHome.class || f.getType() == TestHomes.class || f.getType() == ClaudeCode.class
                    || f.getType() == Codex.class || f.getType() == Gemini.class || f.getType() == Path.class && project != null;
            if (!wanted) continue;
            f.setAccessible(true);
            f.set(instance, scope.supply(f.getType(), project));
        }
    }

    private static List<Field> fields(Class<?> testClass) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) all.addAll(Arrays.asList(c.getDeclaredFields()));
        return all;
    }

    /** Whether any field or method of the class takes a {@code client} ({@link ClaudeCode}, {@link Codex}, {@link Gemini}). */
    private static boolean wants(Class<?> testClass, Class<?> client) {
        if (fields(testClass).stream().anyMatch(f -> f.getType() == client)) return true;
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (Stream.of(m.getParameterTypes()).anyMatch(t -> t == client)) return true;
            }
        }
        return false;
    }

    /** On failure (not on a skip), the hub logs of the given scopes, as a suppressed exception of the failure. */
    private static void attachDiagnostics(ExtensionContext context, Level... levels) {
        Throwable failure = context.getExecutionException().orElse(null);
        if (failure == null || failure instanceof TestAbortedException) return;
        StringBuilder sb = new StringBuilder();
        for (Level level : levels) {
            Scope s = context.getStore(NAMESPACE).get(level, Scope.class);
            if (s != null) sb.append(s.diagnostics());
        }
        if (!sb.isEmpty()) failure.addSuppressed(new HubLogs(sb.toString()));
    }

    /** What a failed test leaves to read: the tails of its hubs' logs. Carries no stack trace of its own. */
    static final class HubLogs extends RuntimeException {
        HubLogs(String text) {
            super("what the hubs logged:" + text, null, false, false);
        }
    }

    /** What one test (or one test class) was given, closed together: the clients first, then the homes, newest first. */
    static final class Scope implements AutoCloseable {
        private final TestHomes homes = new TestHomes();
        private final Map<String, Path> projects = new HashMap<>();
        private TestHome home;
        private ClaudeCode claude;
        private Codex codex;
        private Gemini gemini;

        Object supply(Class<?> type, Project project) {
            if (type == TestHomes.class) return homes;
            if (type == ClaudeCode.class) return claudeCode();
            if (type == Codex.class) return codex == null ? codex = Codex.in(home()) : codex;
            if (type == Gemini.class) return gemini == null ? gemini = Gemini.in(home()) : gemini;
            if (type == Path.class) return project(project);
            return home();
        }

        private TestHome home() {
            if (home == null) home = homes.create();
            return home;
        }

        private Path project(Project p) {
            return projects.computeIfAbsent(p.value(), name -> p.git() ? home().newGitRepository(name) : home().newProject(name));
        }

        private ClaudeCode claudeCode() {
            if (claude == null) claude = ClaudeCode.in(home());
            return claude;
        }

        String diagnostics() {
            StringBuilder sb = new StringBuilder();
            for (TestHome h : homes.all()) {
                String tail = h.logTail();
                sb.append("\n=== HUDDLE_HOME ").append(h.home()).append(tail.isEmpty() ? " (no hub log)" : tail);
            }
            if (claude != null) sb.append(claude.describe());
            if (codex != null) sb.append(codex.describe());
            if (gemini != null) sb.append(gemini.describe());
            return sb.toString();
        }

        @Override
        public void close() {
            try {
                if (gemini != null) gemini.close();
                if (claude != null) claude.close();
            } finally {
                try {
                    if (codex != null) codex.close();
                } finally {
                    homes.close();
                }
            }
        }
    }
}

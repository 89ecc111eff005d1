package dev.huddle.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Path} field or parameter of a {@link HubTest} as a project directory in the scope's {@link TestHome}:
 * a scratch directory named after {@link #value()} with a {@code .git} directory in it, or with {@link #git()} a real
 * repository with one empty commit. The same name in the same scope is the same directory.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Project {
    /** The directory's name prefix (the path adds a random suffix); the scope's other projects have other names. */
    String value() default "repo";

    /** A real git repository ({@code git init}, one empty commit) instead of a bare {@code .git} directory. */
    boolean git() default false;
}

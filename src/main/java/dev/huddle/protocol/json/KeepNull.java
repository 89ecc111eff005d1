package dev.huddle.protocol.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A record component written as JSON {@code null} when it is null, instead of being left out: for the few fields whose
 * readers have always seen the key (a page shows {@code "session " + a.session_id}, a script tests for the key).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface KeepNull {}

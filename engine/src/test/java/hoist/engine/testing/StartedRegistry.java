package hoist.engine.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static {@link Registry} field of a test class: a plain-http distribution registry is
 * started into it before the class's first test and stopped after its last, as
 * {@code @TempDir} does for directories.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StartedRegistryExtension.class)
public @interface StartedRegistry {
}

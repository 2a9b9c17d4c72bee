package hoist.engine.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/** Starts and stops the registries of the {@link StartedRegistry} fields of a test class. */
public final class StartedRegistryExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context.getRequiredTestClass())) {
            field.set(null, Registry.start());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context.getRequiredTestClass())) {
            if (field.get(null) instanceof Registry registry) {
                registry.close();
                field.set(null, null);
            }
        }
    }

    private static List<Field> fields(Class<?> testClass) {
        List<Field> found = new ArrayList<>();
        for (Field field : testClass.getDeclaredFields()) {
            if (field.isAnnotationPresent(StartedRegistry.class)) {
                if (!Modifier.isStatic(field.getModifiers()) || field.getType() != Registry.class) {
                    throw new IllegalStateException(field + ": @StartedRegistry marks a static Registry field");
                }
                field.setAccessible(true);
                found.add(field);
            }
        }
        return found;
    }
}

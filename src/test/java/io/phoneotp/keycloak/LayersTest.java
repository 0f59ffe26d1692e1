package io.phoneotp.keycloak;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packages form layers that point one way: a package may use only packages of lower layers.
 * Packages of one layer are peers and do not use each other. A new package must be given its layer here.
 */
class LayersTest {

    private static final String ROOT = "io.phoneotp.keycloak";

    /** Bottom first. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("phone", "events", "metrics"),
            List.of("policy", "delivery"),
            List.of("challenge", "limits", "user", "link", "delivery.twilio", "delivery.log"),
            List.of("codepage"),
            List.of("flow", "registration", "admin"));

    @Test
    void everyPackageUsesOnlyPackagesOfLowerLayers() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        assertTrue(classes.size() > 50, "the compiled classes were found: " + classes.size());
        TreeSet<String> violations = new TreeSet<>();
        for (JavaClass origin : classes) {
            String from = packageOf(origin);
            for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                String to = packageOf(dependency.getTargetClass());
                if (to == null || to.equals(from)) {
                    continue;
                }
                if (from == null || layer(to) < 0 || layer(from) <= layer(to)) {
                    violations.add(from + " -> " + to + " (" + origin.getSimpleName() + " uses " + dependency.getTargetClass().getSimpleName() + ")");
                }
            }
        }
        assertTrue(violations.isEmpty(), "packages using a package of the same or a higher layer:\n" + String.join("\n", violations));
    }

    @Test
    void everyPackageHasALayer() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        TreeSet<String> unplaced = new TreeSet<>();
        classes.forEach(c -> {
            String name = packageOf(c);
            if (name != null && layer(name) < 0) {
                unplaced.add(name);
            }
        });
        assertTrue(unplaced.isEmpty(), "packages without a layer in LayersTest: " + unplaced);
    }

    /** Our package below the root ({@code flow}, {@code delivery.twilio}), or null for anything else (Keycloak, libraries). */
    private static String packageOf(JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith(ROOT + ".") || name.startsWith(ROOT + ".shaded")) {
            return null;
        }
        return name.substring(ROOT.length() + 1);
    }

    private static int layer(String name) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(name)) {
                return i;
            }
        }
        return -1;
    }
}

package io.phoneotp.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The server options of the real Keycloak distribution ({@code keycloak-quarkus-dist} zip, the version the pom pins):
 * what {@code kc.sh start --help-all} lists, read from the {@code org.keycloak.config.*Options} constants of the
 * distribution's own {@code keycloak-config-api} jar, with whether each is a build-time option. No server is started
 * and the zip is not unpacked: only the few jars those classes need are copied out of it.
 */
final class KeycloakDistOptions {

    /** The jars (in lib/lib/boot or lib/lib/main of the zip) that the option classes need to initialise. */
    private static final Pattern NEEDED_JARS = Pattern.compile(
            "lib/lib/(main|boot)/(org\\.keycloak\\.keycloak-(config-api|common)"
                    + "|io\\.smallrye\\.common\\.smallrye-common-constraint|com\\.google\\.guava\\.guava"
                    + "|org\\.jboss\\.logging\\.jboss-logging|org\\.jboss\\.logmanager\\.jboss-logmanager"
                    + "|io\\.quarkus\\.quarkus-(opentelemetry|core))-\\d[^/]*\\.jar");

    /** Option key (or wildcard key such as {@code log-level-<category>}) → build-time option. */
    private final Map<String, Boolean> buildTime;
    private final List<Pattern> wildcards = new ArrayList<>();

    private KeycloakDistOptions(Map<String, Boolean> buildTime) {
        this.buildTime = buildTime;
        for (String key : buildTime.keySet()) {
            if (key.contains("<")) {
                wildcards.add(Pattern.compile(Pattern.quote(key).replaceAll("<[^>]+>", "\\\\E[A-Za-z0-9._-]+\\\\Q")));
            }
        }
    }

    static KeycloakDistOptions load(Path distZip, Path workDir) throws Exception {
        List<URL> jars = new ArrayList<>();
        Path configApi = null;
        try (ZipFile zip = new ZipFile(distZip.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || !NEEDED_JARS.matcher(name.substring(slash + 1)).matches()) {
                    continue;
                }
                Path jar = workDir.resolve(name.substring(name.lastIndexOf('/') + 1));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, jar);
                }
                jars.add(jar.toUri().toURL());
                if (jar.getFileName().toString().startsWith("org.keycloak.keycloak-config-api-")) {
                    configApi = jar;
                }
            }
        }
        if (configApi == null) {
            throw new IOException("no keycloak-config-api jar in " + distZip);
        }
        Map<String, Boolean> options = new HashMap<>();
        try (URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
             ZipFile api = new ZipFile(configApi.toFile())) {
            Class<?> option = loader.loadClass("org.keycloak.config.Option");
            for (ZipEntry entry : Collections.list(api.entries())) {
                String name = entry.getName();
                if (!name.startsWith("org/keycloak/config/") || !name.endsWith("Options.class") || name.contains("$")) {
                    continue;
                }
                Class<?> holder = loader.loadClass(name.substring(0, name.length() - 6).replace('/', '.'));
                for (Field field : holder.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) || !option.isAssignableFrom(field.getType())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object value = field.get(null); // NoClassDefFoundError: add the missing class's jar to NEEDED_JARS
                    String key = (String) option.getMethod("getKey").invoke(value);
                    boolean build = (Boolean) option.getMethod("isBuildTime").invoke(value);
                    options.put(key, build);
                    ((Optional<?>) option.getMethod("getWildcardKey").invoke(value))
                            .ifPresent(wildcard -> options.put((String) wildcard, build));
                }
            }
        }
        if (options.size() < 150) {
            throw new IllegalStateException("only " + options.size() + " options found in " + distZip);
        }
        return new KeycloakDistOptions(options);
    }

    boolean exists(String key) {
        return buildTime.containsKey(key) || wildcards.stream().anyMatch(p -> p.matcher(key).matches());
    }

    boolean isBuildTime(String key) {
        return Boolean.TRUE.equals(buildTime.get(key));
    }

    int size() {
        return buildTime.size();
    }

    /** {@code KC_DB_URL_HOST} → {@code db-url-host}; {@code KC_SPI_A__B__C} → {@code spi-a--b--c}. */
    static String keyOfEnv(String name) {
        return name.substring(3).toLowerCase().replace("__", "\u0000").replace('_', '-').replace("\u0000", "--");
    }
}

package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.NodeTooling;
import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript package's declarations (clients/js/index.d.ts) as a TypeScript project gets
 * them: src/test/types depends on the package by a file: link, and tsc (pinned in its
 * package-lock.json) compiles usage.ts there, strict. usage.ts makes the README's calls and
 * uses every export; its @ts-expect-error lines must fail, so declarations of any fail too.
 */
class ClientTypesTest {
    private static final Path TYPES = Project.file("tests", "src", "test", "types");

    @Test
    void theReadmesUsageCompilesAgainstTheDeclarations() throws Exception {
        for (String tool : new String[] {"node", "npm"}) {
            try {
                NodeTooling.run(TYPES, Duration.ofSeconds(30), Map.of(), tool, "--version");
            } catch (IOException missing) {
                Prerequisite.missing("no " + tool + " on the PATH for the TypeScript declarations", missing);
            }
        }
        NodeTooling.install(TYPES, Map.of());
        NodeTooling.Result tsc = NodeTooling.run(TYPES, Duration.ofMinutes(2), Map.of(),
                TYPES.resolve("node_modules").resolve(".bin").resolve("tsc").toString(), "-p", "tsconfig.json");
        assertEquals(0, tsc.exit(), "tsc -p tsconfig.json in " + TYPES + ":\n" + tsc.output());
    }
}

package dev.parley.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.swagger.v3.parser.util.DeserializationUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * docs/openapi.yaml as {@link OpenApi} reads it: swagger-parser reads the YAML (its aliases
 * too) into one tree and checks it as an OpenAPI 3.1 document; networknt's validator checks
 * values against the schemas of that same tree, by JSON pointer, in OpenAPI 3.1's dialect of
 * JSON Schema 2020-12 (with {@code format} asserted, so that a {@code date-time} is one).
 */
final class OpenApiDocument {
    /** The tree's name for the validator; not a file (which it would read again, without the aliases). */
    private static final String IRI = "urn:parley:docs:openapi";
    /**
     * The OpenAPI Object's fields: the validator sees the document's root as a schema when it
     * looks up a pointer in it, and would warn of each as an unknown keyword.
     */
    private static final List<String> OPENAPI_FIELDS = List.of("openapi", "info", "jsonSchemaDialect", "servers",
            "paths", "webhooks", "components", "security", "tags", "externalDocs");

    private final Node root;
    private final List<String> problems;
    private final SchemaRegistry schemas;
    private final List<Route> routes;
    private final Map<String, Schema> schemaCache = new ConcurrentHashMap<>();

    private OpenApiDocument(JsonNode tree, List<String> problems) {
        this.root = new Node("", tree);
        this.problems = problems;
        Dialect dialect = Dialect.builder(Dialects.getOpenApi31())
                .keywords(OPENAPI_FIELDS.stream().map(AnnotationKeyword::new).toList())
                .build();
        this.schemas = SchemaRegistry.withDialect(dialect, registry -> registry
                .schemas(Map.of(IRI, tree.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        this.routes = routes(root.get("paths"));
    }

    static OpenApiDocument read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new SwaggerParseResult();
        JsonNode tree = DeserializationUtils.deserializeIntoTree(text, file.toString(), options, parsed);
        List<String> problems = new ArrayList<>(messages(parsed));
        if (tree == null) {
            problems.add("not YAML");
            return new OpenApiDocument(MissingNode.getInstance(), problems);
        }
        SwaggerParseResult checked = new OpenAPIV3Parser().parseJsonNode(file.toString(), tree, options);
        problems.addAll(messages(checked));
        if (checked.getOpenAPI() == null || !"3.1.0".equals(checked.getOpenAPI().getOpenapi())) {
            problems.add("not an OpenAPI 3.1.0 document");
        }
        return new OpenApiDocument(tree, List.copyOf(problems));
    }

    private static List<String> messages(SwaggerParseResult parsed) {
        return parsed.getMessages() == null ? List.of() : parsed.getMessages();
    }

    /** What the parser said of the document: nothing, for a valid one. */
    List<String> problems() {
        return problems;
    }

    Node root() {
        return root;
    }

    /** The path item whose template matches {@code path} (still percent-encoded), literal segments first. */
    Optional<Route.Match> route(String path) {
        return routes.stream().map(route -> route.match(path)).flatMap(Optional::stream).findFirst();
    }

    private static List<Route> routes(Node paths) {
        List<Route> routes = new ArrayList<>();
        paths.value().fieldNames().forEachRemaining(template -> routes.add(Route.of(template, paths.get(template))));
        routes.sort(Comparator.comparingInt(Route::parameters));
        return routes;
    }

    /** The validator's messages on {@code value} against the schema at {@code schema}'s place: none when it conforms. */
    List<String> validate(Node schema, JsonNode value) {
        Schema compiled = schemaCache.computeIfAbsent(schema.pointer(),
                pointer -> schemas.getSchema(SchemaLocation.of(IRI + "#" + pointer)));
        return compiled.validate(value).stream().map(Error::toString).collect(Collectors.toList());
    }

    /** A place in the document: its JSON pointer and what is there. */
    record Node(String pointer, JsonNode value) {
        Node get(String name) {
            JsonNode child = value.isArray() ? value.path(Integer.parseInt(name)) : value.path(name);
            return new Node(pointer + "/" + name.replace("~", "~0").replace("/", "~1"), child);
        }

        boolean exists() {
            return !value.isMissingNode();
        }

        /** What a Reference Object here names ({@code $ref: '#/...'}, within the document); this node otherwise. */
        Node resolvedIn(Node root) {
            String ref = value.path("$ref").asText("");
            if (!ref.startsWith("#/")) {
                return this;
            }
            String target = ref.substring(1);
            return new Node(target, root.value().at(target)).resolvedIn(root);
        }

        List<String> names() {
            List<String> names = new ArrayList<>();
            value.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    /** A path of the document, {@code /rooms/{room}/messages}, as a pattern over request paths. */
    record Route(String template, Node item, Pattern pattern, List<String> names) {
        private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");

        static Route of(String template, Node item) {
            StringBuilder regex = new StringBuilder();
            List<String> names = new ArrayList<>();
            Matcher parameter = PARAMETER.matcher(template);
            int literal = 0;
            while (parameter.find()) {
                regex.append(Pattern.quote(template.substring(literal, parameter.start()))).append("([^/]+)");
                names.add(parameter.group(1));
                literal = parameter.end();
            }
            regex.append(Pattern.quote(template.substring(literal)));
            return new Route(template, item, Pattern.compile(regex.toString()), List.copyOf(names));
        }

        int parameters() {
            return names.size();
        }

        Optional<Match> match(String path) {
            Matcher matcher = pattern.matcher(path);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), URLDecoder.decode(matcher.group(i + 1).replace("+", "%2B"),
                        StandardCharsets.UTF_8));
            }
            return Optional.of(new Match(this, Map.copyOf(values)));
        }

        /** A request path matched: the route, and its path parameters percent-decoded. */
        record Match(Route route, Map<String, String> parameters) {
        }
    }
}

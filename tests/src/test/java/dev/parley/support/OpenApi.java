package dev.parley.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.support.OpenApiDocument.Node;
import dev.parley.support.OpenApiDocument.Route;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an exchange with the server API against docs/openapi.yaml, the API as OpenAPI 3.1, so
 * that the document stays what the server does. The path and method must name an operation of
 * the document, the status must be one that the operation lists, and the answer must have what
 * that status says: its required headers, its content type, and a body that its schema takes
 * (JSON Schema 2020-12, checked by networknt's validator: {@link OpenApiDocument}), or no body
 * where it names none.
 *
 * <p>The request is held to the document too, but only when the server took it (a 2xx): the
 * suites send bad requests on purpose and refusing one is right, while taking a request that the
 * document refuses means the two disagree. Its parameters, its body and the bearer key are checked;
 * its {@code Content-Type} is not, since Parley reads any as JSON.
 */
public final class OpenApi {
    /** Everything in a URL's path up to and with this is the server's (a WAR's context root). */
    private static final String BASE = "/api/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApi() {
    }

    /**
     * Throws an AssertionError listing what does not conform, unless the exchange does.
     *
     * @param method      the request's method
     * @param uri         the full URL it went to: http://HOST:PORT[/CONTEXT]/api/v1/...
     * @param requestBody what it carried; null or empty for none
     * @param response    the answer; its {@code request()} gives the headers that were sent
     */
    public static void check(String method, URI uri, String requestBody, HttpResponse<String> response) {
        List<String> faults = faults(method, uri, requestBody, response);
        if (!faults.isEmpty()) {
            throw new AssertionError(method + " " + uri + " answered " + response.statusCode() + " "
                    + shortened(response.body()) + ", which docs/openapi.yaml does not allow:\n  "
                    + String.join("\n  ", faults));
        }
    }

    private static String shortened(String body) {
        return body == null || body.length() <= 400 ? body
                : body.substring(0, 400) + "... (" + body.length() + " characters)";
    }

    /**
     * Whether the document has a path for {@code uri} at all: one that names no resource
     * (answered 404, or 401 without the key) is no operation's to describe.
     */
    public static boolean describes(URI uri) {
        return uri.getRawPath().contains(BASE + "/") && Document.INSTANCE.route(apiPath(uri)).isPresent();
    }

    /** Throws an AssertionError unless {@code body} is an event as the document's {@code webhooks} describe it. */
    public static void checkWebhookEvent(String body) {
        OpenApiDocument document = Document.INSTANCE;
        List<String> faults;
        try {
            faults = document.validate(document.root().get("components").get("schemas").get("WebhookEvent"),
                    JSON.readTree(body));
        } catch (JsonProcessingException e) {
            faults = List.of("not JSON: " + e.getOriginalMessage());
        }
        if (!faults.isEmpty()) {
            throw new AssertionError("the webhook event " + shortened(body) + " is not what docs/openapi.yaml says:\n  "
                    + String.join("\n  ", faults));
        }
    }

    /** What the parser says of docs/openapi.yaml: nothing, for a valid OpenAPI 3.1 document. */
    public static List<String> documentProblems() {
        return Document.INSTANCE.problems();
    }

    private static List<String> faults(String method, URI uri, String requestBody, HttpResponse<String> response) {
        OpenApiDocument document = Document.INSTANCE;
        String path = apiPath(uri);
        Optional<Route.Match> match = document.route(path);
        if (match.isEmpty()) {
            return List.of("no path of the document is " + path);
        }
        Route route = match.get().route();
        Node operation = route.item().get(method.toLowerCase(Locale.ROOT));
        if (!operation.exists()) {
            return List.of(route.template() + " has no " + method + " operation");
        }
        List<String> faults = new ArrayList<>(answerFaults(document, operation, response));
        if (response.statusCode() / 100 == 2) {
            Request request = new Request(match.get(), query(uri), sentHeaders(response), requestBody);
            faults.addAll(requestFaults(document, operation, request));
        }
        return faults;
    }

    /** The path below the API's base, still percent-encoded, as the document's paths are written. */
    private static String apiPath(URI uri) {
        String path = uri.getRawPath();
        int base = path.indexOf(BASE + "/");
        if (base < 0) {
            throw new AssertionError(uri + " is not a URL of the server API (no " + BASE + "/ in its path)");
        }
        return path.substring(base + BASE.length());
    }

    // The answer

    private static List<String> answerFaults(OpenApiDocument document, Node operation, HttpResponse<String> response) {
        Node responses = operation.get("responses");
        Node answer = responses.get(String.valueOf(response.statusCode()));
        if (!answer.exists()) {
            answer = responses.get("default");
        }
        if (!answer.exists()) {
            return List.of("status " + response.statusCode() + " is not one of the operation's: " + responses.names());
        }
        answer = answer.resolvedIn(document.root());
        List<String> faults = new ArrayList<>(headerFaults(document, answer.get("headers"), response.headers()));
        faults.addAll(bodyFaults(document, answer.get("content"), response));
        return faults;
    }

    private static List<String> headerFaults(OpenApiDocument document, Node declared, HttpHeaders headers) {
        List<String> faults = new ArrayList<>();
        for (String name : declared.names()) {
            Node header = declared.get(name).resolvedIn(document.root());
            Optional<String> value = headers.firstValue(name);
            if (value.isEmpty()) {
                if (header.value().path("required").asBoolean(false)) {
                    faults.add("answer header " + name + " is missing");
                }
            } else {
                Node schema = header.get("schema");
                document.validate(schema, typed(document, schema, value.get()))
                        .forEach(fault -> faults.add("answer header " + name + " " + fault));
            }
        }
        return faults;
    }

    private static List<String> bodyFaults(OpenApiDocument document, Node content, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        if (!content.exists()) {
            return body.isEmpty() ? List.of() : List.of("the answer has a body where the document has none");
        }
        if (body.isEmpty()) {
            return List.of("the answer has no body where the document has " + content.names());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        Optional<String> declared = content.names().stream()
                .filter(name -> mediaType(name).equals(mediaType(type))).findFirst();
        if (declared.isEmpty()) {
            return List.of("the answer's Content-Type " + type + " is not one of " + content.names());
        }
        return bodyFaults(document, content.get(declared.get()).get("schema"), body, "answer body");
    }

    /** A media type without its parameters: {@code application/json; charset=utf-8} is {@code application/json}. */
    private static String mediaType(String contentType) {
        return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> bodyFaults(OpenApiDocument document, Node schema, String body, String what) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return List.of(what + " is not JSON: " + e.getOriginalMessage());
        }
        return document.validate(schema, json).stream().map(fault -> what + " " + fault).toList();
    }

    // The request, when the server took it

    /** What was sent: the route it matched, the query's parameters (decoded), the headers and the body. */
    private record Request(Route.Match match, Map<String, String> query, HttpHeaders headers, String body) {
        Optional<String> parameter(String in, String name) {
            return switch (in) {
                case "path" -> Optional.ofNullable(match.parameters().get(name));
                case "query" -> Optional.ofNullable(query.get(name));
                case "header" -> headers.firstValue(name);
                default -> Optional.empty();
            };
        }
    }

    private static List<String> requestFaults(OpenApiDocument document, Node operation, Request request) {
        List<String> faults = new ArrayList<>();
        parameters(document, request.match().route().item(), operation).forEach((key, parameter) ->
                faults.addAll(parameterFaults(document, parameter, request)));
        faults.addAll(requestBodyFaults(document, operation.get("requestBody").resolvedIn(document.root()), request));
        faults.addAll(securityFaults(document, operation, request.headers()));
        return faults.stream().map(fault -> "the server took a request the document refuses: " + fault).toList();
    }

    /** The path item's parameters and the operation's, by where and name; the operation's win. */
    private static Map<String, Node> parameters(OpenApiDocument document, Node item, Node operation) {
        Map<String, Node> parameters = new LinkedHashMap<>();
        for (Node list : List.of(item.get("parameters"), operation.get("parameters"))) {
            for (int i = 0; i < list.value().size(); i++) {
                Node parameter = list.get(String.valueOf(i)).resolvedIn(document.root());
                parameters.put(parameter.value().path("in").asText() + " " + parameter.value().path("name").asText(),
                        parameter);
            }
        }
        return parameters;
    }

    private static List<String> parameterFaults(OpenApiDocument document, Node parameter, Request request) {
        String in = parameter.value().path("in").asText();
        String name = parameter.value().path("name").asText();
        Optional<String> value = request.parameter(in, name);
        if (value.isEmpty()) {
            return parameter.value().path("required").asBoolean(false)
                    ? List.of(in + " parameter " + name + " is missing") : List.of();
        }
        Node schema = parameter.get("schema");
        return document.validate(schema, typed(document, schema, value.get())).stream()
                .map(fault -> in + " parameter " + name + " " + fault).toList();
    }

    private static List<String> requestBodyFaults(OpenApiDocument document, Node requestBody, Request request) {
        boolean sent = request.body() != null && !request.body().isEmpty();
        if (!requestBody.exists()) {
            return sent ? List.of("a body where the document has none") : List.of();
        }
        if (!sent) {
            return requestBody.value().path("required").asBoolean(false) ? List.of("no body") : List.of();
        }
        Node json = requestBody.get("content").get("application/json");
        return bodyFaults(document, json.get("schema"), request.body(), "body");
    }

    /** The API takes one scheme, a bearer key: an operation under a security requirement needs one sent. */
    private static List<String> securityFaults(OpenApiDocument document, Node operation, HttpHeaders headers) {
        Node security = operation.get("security").exists() ? operation.get("security") : document.root().get("security");
        boolean needed = security.value().size() > 0;
        boolean sent = headers.firstValue("Authorization").filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .isPresent();
        return needed && !sent ? List.of("no Authorization: Bearer") : List.of();
    }

    // Values of headers and parameters

    /**
     * A header's or parameter's text as the JSON value that its schema speaks of: a number for a
     * numeric schema when it reads as one, the text otherwise (which then fails a numeric schema).
     */
    private static JsonNode typed(OpenApiDocument document, Node schema, String text) {
        String type = schema.resolvedIn(document.root()).value().path("type").asText("string");
        if (type.equals("integer") || type.equals("number")) {
            try {
                return JsonNodeFactory.instance.numberNode(new BigDecimal(text.trim()));
            } catch (NumberFormatException e) {
                return JsonNodeFactory.instance.textNode(text);
            }
        }
        if (type.equals("boolean") && (text.equals("true") || text.equals("false"))) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text));
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                query.putIfAbsent(decode(parts[0]), parts.length < 2 ? "" : decode(parts[1]));
            }
        }
        return query;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    private static HttpHeaders sentHeaders(HttpResponse<String> response) {
        return response.request() == null ? HttpHeaders.of(Map.of(), (name, value) -> true)
                : response.request().headers();
    }

    /** Read once, on first use: parsing the document and making its schemas takes a moment. */
    private static final class Document {
        static final OpenApiDocument INSTANCE = OpenApiDocument.read(Project.file("docs", "openapi.yaml"));
    }
}

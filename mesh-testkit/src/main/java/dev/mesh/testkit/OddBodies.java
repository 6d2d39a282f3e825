package dev.mesh.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Odd request bodies made from one an intake endpoint accepts, each with the answer the endpoint owes: the status
 * and the field it must name. Every domain's tests run them on every intake endpoint.
 */
public final class OddBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One odd body: what it is, and the status and field the answer must carry. */
    public record Case(String name, byte[] body, int status, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    private OddBodies() {
    }

    /**
     * @param valid       a body the endpoint accepts
     * @param idField     the record's key field
     * @param amountField a decimal field, or null
     * @param timeField   the event-time field, or null
     */
    public static List<Case> from(String valid, String idField, String amountField, String timeField) {
        List<Case> cases = new ArrayList<>();
        cases.add(text("an empty body", "", 400, "$"));
        cases.add(text("not JSON", "{not json", 400, "$"));
        cases.add(text("an array", "[1, 2]", 400, "$"));
        cases.add(text("trailing garbage", valid + "}", 400, "$"));
        cases.add(text("an unknown field", with(valid, "colour", "\"red\""), 400, "colour"));
        cases.add(text("a duplicate key", valid.replaceFirst("\\{", "{\"" + idField + "\": \"dup\", "), 400, idField));
        cases.add(text("an empty id", with(valid, idField, "\"\""), 400, idField));
        cases.add(text("a control character in the id", with(valid, idField, "\"a\\u0007b\""), 400, idField));
        cases.add(text("an unpaired surrogate in the id", with(valid, idField, "\"a\\ud800b\""), 400, idField));
        cases.add(text("a 1 MB string in an unused field", with(valid, "unused", "\"" + "x".repeat(1_000_000) + "\""), 400, "unused"));
        cases.add(text("a 9 MB body", with(valid, "unused", "\"" + "x".repeat(9_000_000) + "\""), 413, "$"));
        cases.add(text("nesting 2,000 deep", with(valid, "unused", "[".repeat(2_000) + "]".repeat(2_000)), 400, "unused"));
        if (amountField != null) {
            cases.add(text("an amount beyond decimal(12,2)", with(valid, amountField, "12345678901234.5"), 400, amountField));
            cases.add(text("1e20", with(valid, amountField, "1e20"), 400, amountField));
            cases.add(text("a 2,000-digit number", with(valid, amountField, "1" + "0".repeat(2_000)), 400, amountField));
            cases.add(text("1. and 60,000 zeros", with(valid, amountField, "1." + "0".repeat(60_000)), 400, amountField));
            cases.add(text("three decimals", with(valid, amountField, "\"1.005\""), 400, amountField));
        }
        if (timeField != null) {
            cases.add(text("year 1", with(valid, timeField, "\"0001-01-01T00:00:00Z\""), 400, timeField));
            cases.add(text("beyond timestamp-millis", with(valid, timeField, "\"-1000000000-01-01T00:00:00Z\""), 400, timeField));
            cases.add(text("a day ahead", with(valid, timeField, "\"" + java.time.Instant.now().plusSeconds(86_400) + "\""), 400, timeField));
        }
        return cases;
    }

    /**
     * Posts every case to {@code url} and checks each answer: the case's status (so never a 5xx), a body
     * {@code {"error", "fields": [{"field", "message"}]}} naming the case's field, and no message that echoes a large
     * input. Every mismatch is listed in one AssertionError.
     */
    public static void assertRefused(String url, List<Case> cases) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            try {
                var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .header("Content-Type", "application/json").timeout(java.time.Duration.ofSeconds(30))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(c.body())).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                if (response.statusCode() != c.status()) {
                    mismatches.add(c.name() + ": status " + response.statusCode() + ", expected " + c.status() + ": "
                            + body.substring(0, Math.min(body.length(), 300)));
                    continue;
                }
                var fields = JSON.readTree(body).path("fields");
                boolean named = false;
                for (var f : fields) {
                    String field = f.path("field").asText();
                    named |= field.equals(c.field()) || field.startsWith(c.field() + "[") || field.startsWith(c.field() + ".");
                    if (f.path("message").asText().length() > 400) {
                        mismatches.add(c.name() + ": a message of " + f.path("message").asText().length() + " characters");
                    }
                }
                if (!named) {
                    mismatches.add(c.name() + ": field '" + c.field() + "' not named in " + body.substring(0, Math.min(body.length(), 300)));
                }
            } catch (IOException e) {
                mismatches.add(c.name() + ": no answer (" + e + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " of " + cases.size() + " odd bodies were not refused as expected at "
                    + url + ":\n  " + String.join("\n  ", mismatches));
        }
    }

    /**
     * {@code count} seeded random mutations of a valid body (characters deleted, JSON tokens and odd values
     * inserted), for a fuzz run: the same seed gives the same bodies.
     */
    public static List<byte[]> fuzz(String valid, long seed, int count) {
        java.util.Random random = new java.util.Random(seed);
        String[] pieces = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e400", "-0", "\\u0000", "\\ud800",
                "9".repeat(60), "\"0001-01-01T00:00:00Z\"", " ", "\"x\"", "{\"a\":", "0.001", "\"\""};
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder doc = new StringBuilder(valid);
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                int at = random.nextInt(doc.length() + 1);
                if (random.nextBoolean() && at < doc.length()) {
                    doc.deleteCharAt(at);
                } else {
                    doc.insert(at, pieces[random.nextInt(pieces.length)]);
                }
            }
            out.add(doc.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Posts every body and returns how many got each status; the caller asserts none was a 5xx. */
    public static java.util.Map<Integer, Integer> statuses(String url, List<byte[]> bodies) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.Map<Integer, Integer> counts = new java.util.TreeMap<>();
        for (byte[] body : bodies) {
            try {
                int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .header("Content-Type", "application/json").timeout(java.time.Duration.ofSeconds(30))
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                counts.merge(status, 1, Integer::sum);
            } catch (IOException e) {
                counts.merge(-1, 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return counts;
    }

    /** The valid body with {@code field} set to {@code rawJson} (added if absent), as text. */
    private static String with(String valid, String field, String rawJson) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(valid);
            node.remove(field);
            String rest = node.toString();
            return "{\"" + field + "\": " + rawJson + (node.isEmpty() ? "}" : ", " + rest.substring(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case text(String name, String body, int status, String field) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), status, field);
    }
}

package dev.mesh.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every {@code ./mesh} command README, the guides in docs/guides and {@code mesh up}'s banner show is one the CLI takes: the subcommand exists
 * and each option and argument parses. (MeshCliTest runs the ops commands among them on a mesh.)
 */
class DocumentedCommandsTest {
    private static final Pattern INLINE = Pattern.compile("`(\\./mesh [^`]+)`");
    private static final Pattern BANNER = Pattern.compile("\\./mesh [a-z][^|\"]*");

    @Test
    void everyCommandReadmeShowsParses() throws IOException {
        List<String> commands = new ArrayList<>();
        for (Path doc : documents()) {
            commands.addAll(readmeCommands(Files.readAllLines(doc)));
        }
        assertThat(commands).as("commands README and the guides show").hasSizeGreaterThan(25)
                .contains("./mesh access request sales.customers --reason \"fraud checks\" --pii --config .mesh/credentials/finance.properties");
        commands.forEach(DocumentedCommandsTest::parses);
    }

    /** README and every guide under docs/guides. */
    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (var guides = Files.list(Path.of("..", "docs", "guides"))) {
            guides.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertThat(docs).hasSizeGreaterThan(4);
        return docs;
    }

    /** README is a newcomer's read; the manual is in the guides it links, and every link between them leads somewhere. */
    @Test
    void readmeIsShortAndEveryLinkBetweenTheDocumentsResolves() throws IOException {
        assertThat(Files.readAllLines(Path.of("..", "README.md"))).hasSizeLessThanOrEqualTo(200);
        Pattern link = Pattern.compile("\\]\\(([^)#:]*\\.md)?(#[a-z0-9-]+)?\\)");
        for (Path doc : documents()) {
            Matcher m = link.matcher(Files.readString(doc));
            while (m.find()) {
                Path target = m.group(1) == null ? doc : doc.getParent().resolve(m.group(1)).normalize();
                assertThat(target).as(m.group() + " in " + doc).exists();
                if (m.group(2) != null) {
                    assertThat(anchors(target)).as(m.group() + " in " + doc).contains(m.group(2).substring(1));
                }
            }
        }
    }

    /** GitHub's anchors: a heading lower-cased, punctuation dropped, spaces as hyphens. */
    private static List<String> anchors(Path doc) throws IOException {
        return Files.readAllLines(doc).stream().filter(l -> l.startsWith("#")).map(l -> l.replaceFirst("^#+\\s*", "")
                .toLowerCase().replaceAll("[^a-z0-9 -]", "").replace(' ', '-')).toList();
    }

    @Test
    void everyCommandTheBannerShowsParses() throws IOException {
        Matcher m = BANNER.matcher(Files.readString(Path.of("src/main/java/dev/mesh/cli/UpCommand.java")));
        List<String> commands = new ArrayList<>();
        while (m.find()) {
            commands.add(m.group().trim());
        }
        assertThat(commands).contains("./mesh products", "./mesh tail sales.orders -n 5");
        commands.stream().filter(c -> !c.startsWith("./mesh ...")).forEach(DocumentedCommandsTest::parses);
    }

    /** What a refusal tells the refused principal to run. */
    @Test
    void theAccessRequestARefusalNamesParses() {
        parses("./" + dev.mesh.sdk.access.AccessDecision.requestCommand("sales.customers", true));
        parses("./" + dev.mesh.sdk.access.AccessDecision.requestCommand("finance.payments", false));
    }

    @Test
    void aCommandThatDoesNotExistIsCaught() {
        assertThatCode(() -> parses("./mesh tail sales.orders --nosuch")).isInstanceOf(AssertionError.class);
        assertThatCode(() -> parses("./mesh nosuch")).isInstanceOf(AssertionError.class);
    }

    private static void parses(String command) {
        List<String> args = words(command);
        assertThat(args.remove(0)).isEqualTo("./mesh");
        assertThatCode(() -> MeshCli.commandLine().parseArgs(args.toArray(String[]::new))).as(command)
                .doesNotThrowAnyException();
        CommandLine.ParseResult parsed = MeshCli.commandLine().parseArgs(args.toArray(String[]::new));
        assertThat(parsed.hasSubcommand()).as("a subcommand in " + command).isTrue();
    }

    /** Indented or fenced lines starting with ./mesh (with their continuations), and ./mesh in backticks. */
    static List<String> readmeCommands(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher inline = INLINE.matcher(lines.get(i));
            while (inline.find()) {
                out.add(inline.group(1));
            }
            if (!line.startsWith("./mesh ") || line.startsWith("./mesh ...")) {
                continue;
            }
            StringBuilder command = new StringBuilder(withoutComment(line));
            while ((command.toString().endsWith("\\") || openQuote(command.toString())) && i + 1 < lines.size()) {
                if (command.toString().endsWith("\\")) {
                    command.setLength(command.length() - 1);
                }
                command.append(' ').append(withoutComment(lines.get(++i).strip()));
            }
            out.add(command.toString().strip());
        }
        return out.stream().distinct().toList();
    }

    /** The line before a {@code #} comment that stands outside quotes after a space. */
    private static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i).strip();
            }
        }
        return line;
    }

    private static boolean openQuote(String text) {
        return words(text) == null;
    }

    /** Shell words: quotes grouped, README's placeholders ({@code ...}) dropped and optional parts ({@code [--x]}) kept. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
                quoted = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(placeholder(word.toString(), quoted));
                    word.setLength(0);
                    inWord = false;
                    quoted = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            return null;
        }
        if (inWord) {
            words.add(placeholder(word.toString(), quoted));
        }
        words.removeIf(w -> w == null);
        return words;
    }

    /** An unquoted {@code ...} stands for more of the same (null: dropped); {@code [--x]} is an optional part, kept. */
    private static String placeholder(String word, boolean quoted) {
        if (quoted) {
            return word;
        }
        return word.equals("...") ? null : word.startsWith("[") && word.endsWith("]") ? word.substring(1, word.length() - 1) : word;
    }
}

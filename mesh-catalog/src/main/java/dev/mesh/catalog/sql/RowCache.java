package dev.mesh.catalog.sql;

import dev.mesh.sdk.ops.ProductSnapshot;
import org.apache.kafka.common.TopicPartition;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Decoded records of product topics kept on disk between queries (one file per topic, in clear and masked), so a
 * repeated query reads from Kafka only the offsets not kept yet. A query still sees exactly its cut: rows at or past
 * it, or below what the topic still holds (retention), are not given. Bounded per topic: a topic whose rows outgrow
 * the bound is not kept, and is read from Kafka each time. The files are a cache: emptied when the catalog starts.
 */
final class RowCache {
    private static final byte VALUE = 0;
    private static final byte TOMBSTONE = 1;
    private static final byte SKIPPED = 2;

    private final Path dir;
    private final long maxBytesPerTopic;
    private final Map<String, TopicRows> topics = new ConcurrentHashMap<>();

    /** A row as a query loads it: JSON text in clear and masked, or a tombstone, or a record skipped and why. */
    record Line(String key, int partition, long offset, long timestamp, String clear, String masked, String skipped) {
    }

    private static final class TopicRows {
        final Path file;
        final Map<TopicPartition, Long> next = new HashMap<>();
        long bytes;
        boolean tooLarge;

        TopicRows(Path file) {
            this.file = file;
        }
    }

    RowCache(Path dir, long maxBytesPerTopic) {
        this.dir = dir;
        this.maxBytesPerTopic = maxBytesPerTopic;
        try {
            Files.createDirectories(dir);
            try (var old = Files.list(dir)) {
                for (Path f : old.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the SQL cache (catalog.sql.cache-dir): " + e.getMessage(), e);
        }
    }

    /**
     * Gives every record of the topic within the cut to {@code sink}: kept ones from disk, new ones read from Kafka
     * first and kept.
     *
     * @return how many records were read from Kafka for this query
     */
    long serve(String topic, ProductSnapshot snapshot, Map<TopicPartition, Long> cut, boolean latestCut, Consumer<Line> sink,
               BooleanSupplier cancelled) {
        TopicRows rows = topics.computeIfAbsent(topic, t -> new TopicRows(dir.resolve(t + ".rows")));
        synchronized (rows) {
            Map<TopicPartition, Long> earliest = snapshot.earliest(cut);
            if (rows.tooLarge) {
                return snapshot.read(Map.of(), cut, r -> sink.accept(line(r)), cancelled);
            }
            if (latestCut && rows.next.entrySet().stream().anyMatch(e -> e.getValue() > cut.getOrDefault(e.getKey(), Long.MAX_VALUE))) {
                reset(rows); // the topic holds less than was kept: it was deleted and made again
            }
            long read = append(rows, snapshot, cut, cancelled);
            if (rows.tooLarge) {
                return read + snapshot.read(Map.of(), cut, r -> sink.accept(line(r)), cancelled);
            }
            replay(rows, earliest, cut, sink);
            return read;
        }
    }

    private long append(TopicRows rows, ProductSnapshot snapshot, Map<TopicPartition, Long> cut, BooleanSupplier cancelled) {
        Map<TopicPartition, Long> from = new HashMap<>(rows.next);
        if (cut.entrySet().stream().noneMatch(e -> from.getOrDefault(e.getKey(), 0L) < e.getValue())) {
            return 0;
        }
        long read;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(rows.file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
            read = snapshot.read(from, cut, r -> write(out, line(r)), cancelled);
            out.flush();
            rows.bytes = Files.size(rows.file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep rows of " + rows.file + ": " + e.getMessage(), e);
        }
        if (cancelled.getAsBoolean()) {
            reset(rows); // a read cut short leaves holes: keep nothing of it
            return read;
        }
        cut.forEach((tp, end) -> rows.next.merge(tp, end, Math::max));
        if (rows.bytes > maxBytesPerTopic) {
            reset(rows);
            rows.tooLarge = true;
        }
        return read;
    }

    private void replay(TopicRows rows, Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> cut, Consumer<Line> sink) {
        if (!Files.exists(rows.file)) {
            return;
        }
        Map<Integer, Long> from = new HashMap<>();
        Map<Integer, Long> to = new HashMap<>();
        earliest.forEach((tp, o) -> from.put(tp.partition(), o));
        cut.forEach((tp, o) -> to.put(tp.partition(), o));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(rows.file), 1 << 16))) {
            while (true) {
                Line line;
                try {
                    line = read(in);
                } catch (EOFException end) {
                    return;
                }
                if (line.offset() >= from.getOrDefault(line.partition(), 0L) && line.offset() < to.getOrDefault(line.partition(), 0L)) {
                    sink.accept(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kept rows " + rows.file + ": " + e.getMessage(), e);
        }
    }

    private static void reset(TopicRows rows) {
        rows.next.clear();
        rows.bytes = 0;
        try {
            Files.deleteIfExists(rows.file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Line line(ProductSnapshot.Row r) {
        String clear = r.value() == null ? null : r.value().toString();
        String masked = r.masked() == null ? null : r.masked().toString();
        return new Line(r.key(), r.partition(), r.offset(), r.timestamp().toEpochMilli(), clear, masked, r.skipped());
    }

    private static void write(DataOutputStream out, Line l) {
        try {
            out.writeByte(l.skipped() != null ? SKIPPED : l.clear() == null ? TOMBSTONE : VALUE);
            out.writeInt(l.partition());
            out.writeLong(l.offset());
            out.writeLong(l.timestamp());
            text(out, l.key());
            if (l.skipped() != null) {
                text(out, l.skipped());
            } else if (l.clear() != null) {
                text(out, l.clear());
                text(out, l.masked().equals(l.clear()) ? null : l.masked());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Line read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        int partition = in.readInt();
        long offset = in.readLong();
        long timestamp = in.readLong();
        String key = text(in);
        return switch (kind) {
            case SKIPPED -> new Line(key, partition, offset, timestamp, null, null, text(in));
            case TOMBSTONE -> new Line(key, partition, offset, timestamp, null, null, null);
            default -> {
                String clear = text(in);
                String masked = text(in);
                yield new Line(key, partition, offset, timestamp, clear, masked == null ? clear : masked, null);
            }
        };
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}

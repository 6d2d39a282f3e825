package dev.mesh.sdk.internal.streams;

import dev.mesh.sdk.errors.MeshException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

import java.util.Map;

/**
 * One memory budget for the RocksDB stores of every Streams app in the JVM, as Kafka Streams' documentation bounds
 * it: a block cache shared by all stores that also carries their memtables, so RocksDB's memory follows the budget,
 * not the number of stores. Every partition of every store is a RocksDB instance of its own (87 in the local mesh),
 * and by default each may hold up to 3 × 16 MB of memtables and a 50 MB block cache: the local mesh's memory grew
 * with the data it had seen.
 */
public final class SharedRocksDbMemory implements RocksDBConfigSetter {
    /** Streams property: bytes for all stores in this JVM, memtables included (the first store opened sets it). */
    public static final String BUDGET_BYTES = "mesh.rocksdb.memory.bytes";
    static final long DEFAULT_BUDGET_BYTES = 64L * 1024 * 1024;
    private static final long MEMTABLE_BYTES = 1024 * 1024;

    private static Cache cache;
    private static WriteBufferManager memtables;
    private static long budget = -1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache(configs));
        // index and filter blocks inside the budget too, kept ahead of data blocks when it is tight
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(memtables);
        // Small memtables: a memtable takes memory in blocks of an eighth of its size from its first write, so 87
        // stores with Kafka Streams' 16 MB memtables held 2 MB each before holding anything, overran the budget, and
        // the write buffer manager then flushed on nearly every write (settlement p50 2.2 s at 100 orders/s)
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
    }

    private static synchronized Cache cache(Map<String, Object> configs) {
        if (cache == null) {
            long bytes = budget(configs.get(BUDGET_BYTES));
            budget = bytes;
            RocksDB.loadLibrary();
            // a tenth of the cache reserved for index and filter blocks; memtables may take half of the budget
            cache = new LRUCache(bytes, -1, false, 0.1);
            memtables = new WriteBufferManager(bytes / 2, cache);
        }
        return cache;
    }

    /**
     * The budget a configured value asks for (null: the default).
     *
     * @throws MeshException naming the setting when the value is not a positive number of bytes
     */
    public static long budget(Object configured) {
        if (configured == null) {
            return DEFAULT_BUDGET_BYTES;
        }
        try {
            long bytes = Long.parseLong(configured.toString().trim());
            if (bytes > 0) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new MeshException(BUDGET_BYTES + " must be a positive number of bytes, e.g. 67108864 for 64 MB; got '"
                + configured + "'");
    }

    /** The budget in bytes, once a store has opened; -1 before. */
    public static synchronized long budgetBytes() {
        return budget;
    }

    /** Bytes the stores of this JVM hold in the budget now (memtables, index, filter and data blocks); -1 before. */
    public static synchronized long usedBytes() {
        return cache == null ? -1 : cache.getUsage();
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the memtable budget are shared by every store of the JVM and live as long as it
    }
}

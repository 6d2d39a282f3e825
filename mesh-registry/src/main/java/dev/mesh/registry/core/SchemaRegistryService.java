package dev.mesh.registry.core;

import dev.mesh.registry.store.RegistryState;
import dev.mesh.registry.store.SchemaLog;
import dev.mesh.registry.store.SchemaLog.Write;
import dev.mesh.registry.store.StoreRecord;
import dev.mesh.registry.store.StoreRecords;
import dev.mesh.registry.store.StoredSchema;
import dev.mesh.registry.store.SubjectVersion;
import dev.mesh.sdk.registry.CompatibilityChecker;
import dev.mesh.sdk.registry.CompatibilityLevel;
import dev.mesh.sdk.registry.RegisteredSchema;
import dev.mesh.sdk.registry.SchemaReference;
import dev.mesh.sdk.registry.SchemaRequest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The registry's semantics: identity, versions, compatibility, contracts, deletes, config and mode. */
public final class SchemaRegistryService {
    public static final CompatibilityLevel DEFAULT_COMPATIBILITY = CompatibilityLevel.BACKWARD;
    public static final Mode DEFAULT_MODE = Mode.READWRITE;

    private final RegistryState state;
    private final SchemaLog<RegistryState> log;
    private final int maxSchemaChars;
    private final ContractPolicies policies;

    public SchemaRegistryService(RegistryState state, SchemaLog<RegistryState> log, int maxSchemaChars) {
        this(state, log, maxSchemaChars, null);
    }

    /** @param policies the mesh's policies on registered contracts; null: none enforced */
    public SchemaRegistryService(RegistryState state, SchemaLog<RegistryState> log, int maxSchemaChars, dev.mesh.sdk.policy.PolicySet policies) {
        this.state = state;
        this.log = log;
        this.maxSchemaChars = maxSchemaChars;
        this.policies = policies == null ? null : new ContractPolicies(policies, topic -> latest(ContractPolicies.subjectOf(topic), false)
                .flatMap(v -> state.schema(v.id())).map(StoredSchema::metadata)
                .map(m -> m.properties() == null ? null : m.properties().get("classification")));
    }

    // ---- register and look up -------------------------------------------------------------------------------

    /** Registers the schema under the subject (R1); the same content again returns its existing id. */
    public int register(String subject, SchemaRequest request) {
        validateSubject(subject);
        return log.write(s -> {
            requireWritable(subject);
            StoredSchema candidate = contentOf(subject, request, true);
            if (policies != null) {
                policies.require(subject, candidate.metadata(), candidate.ruleSet(),
                        AvroSchemas.parse(candidate.schema(), candidate.references(), this::resolveReference).schema());
            }
            List<SubjectVersion> live = s.versions(subject, false);
            for (int i = live.size() - 1; i >= 0; i--) {
                SubjectVersion v = live.get(i);
                if (s.schema(v.id()).map(candidate::equals).orElse(false)) {
                    return Write.nothing(v.id());
                }
            }
            List<String> problems = incompatibilities(subject, candidate, live, compatibility(subject));
            if (!problems.isEmpty()) {
                throw new RegistryException(409, 409, "Schema being registered is incompatible with an earlier schema"
                        + " for subject '" + subject + "' (" + compatibility(subject) + "): " + String.join("; ", problems));
            }
            int id = s.idOf(candidate).orElse(s.maxId() + 1);
            int version = s.maxVersionEver(subject) + 1;
            return new Write<>(List.of(StoreRecords.schema(subject, version, id, candidate, false)), id);
        });
    }

    /** Finds the version of the subject holding this schema (R2). */
    public RegisteredSchema lookup(String subject, SchemaRequest request, boolean includeDeleted) {
        validateSubject(subject);
        // a subject whose versions are all soft-deleted is not found, unless deleted ones are asked for
        if (state.versions(subject, includeDeleted).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        StoredSchema candidate = contentOf(subject, request, false);
        List<SubjectVersion> versions = state.versions(subject, includeDeleted);
        for (int i = versions.size() - 1; i >= 0; i--) {
            SubjectVersion v = versions.get(i);
            StoredSchema stored = state.schema(v.id()).orElse(null);
            if (stored != null && stored.sameSchema(candidate)
                    && (candidate.metadata() == null || candidate.metadata().equals(stored.metadata()))
                    && (candidate.ruleSet() == null || candidate.ruleSet().equals(stored.ruleSet()))) {
                return view(v, stored);
            }
        }
        throw RegistryException.schemaNotFound("in subject '" + subject + "'");
    }

    private StoredSchema contentOf(String subject, SchemaRequest request, boolean inheritContract) {
        if (request == null) {
            throw RegistryException.invalidSchema("Request body is missing; expected {\"schema\": \"...\"}");
        }
        String type = request.schemaType() == null ? "AVRO" : request.schemaType().trim().toUpperCase(java.util.Locale.ROOT);
        if (!type.equals("AVRO")) {
            throw RegistryException.invalidSchema("Invalid schema type '" + request.schemaType()
                    + "': this registry supports only AVRO schemas");
        }
        if (request.schema() != null && request.schema().length() > maxSchemaChars) {
            throw new RegistryException(422, 42209, "Schema of " + request.schema().length()
                    + " characters is too large; the limit is " + maxSchemaChars);
        }
        List<SchemaReference> refs = request.references() == null ? List.of() : request.references();
        ParsedSchema parsed = AvroSchemas.parse(request.schema(), refs, this::resolveReference);
        var metadata = request.metadata();
        var ruleSet = request.ruleSet();
        if (inheritContract && (metadata == null || ruleSet == null)) {
            // A new version registered without a contract keeps the previous version's.
            Optional<StoredSchema> previous = latest(subject, false).flatMap(v -> state.schema(v.id()));
            if (previous.isPresent()) {
                metadata = metadata == null ? previous.get().metadata() : metadata;
                ruleSet = ruleSet == null ? previous.get().ruleSet() : ruleSet;
            }
        }
        return StoreRecords.asStored(new StoredSchema("AVRO", parsed.canonical(), refs, metadata, ruleSet));
    }

    private AvroSchemas.StoredReference resolveReference(SchemaReference ref) {
        SubjectVersion v = state.versions(ref.subject(), false).stream()
                .filter(x -> ref.version() == -1 ? true : x.version() == ref.version())
                .reduce((a, b) -> b)
                .orElseThrow(() -> RegistryException.invalidSchema("Invalid schema reference '" + ref.name()
                        + "': subject '" + ref.subject() + "' has no version " + ref.version()));
        StoredSchema target = state.schema(v.id()).orElseThrow(() -> RegistryException.schemaNotFound("id " + v.id()));
        return new AvroSchemas.StoredReference(target.schema(), target.references());
    }

    // ---- compatibility ---------------------------------------------------------------------------------------

    /** R14 (one version) and R15 (version null: every version the subject's level names). */
    public List<String> checkCompatibility(String subject, String version, SchemaRequest request) {
        validateSubject(subject);
        StoredSchema candidate = contentOf(subject, request, false);
        if (version == null) {
            return incompatibilities(subject, candidate, state.versions(subject, false), compatibility(subject));
        }
        SubjectVersion against = version(subject, version, false);
        CompatibilityLevel level = compatibility(subject);
        CompatibilityLevel single = switch (level) {
            case BACKWARD_TRANSITIVE -> CompatibilityLevel.BACKWARD;
            case FORWARD_TRANSITIVE -> CompatibilityLevel.FORWARD;
            case FULL_TRANSITIVE -> CompatibilityLevel.FULL;
            default -> level;
        };
        return incompatibilities(subject, candidate, List.of(against), single);
    }

    private List<String> incompatibilities(String subject, StoredSchema candidate, List<SubjectVersion> against,
                                           CompatibilityLevel level) {
        if (level == CompatibilityLevel.NONE || against.isEmpty()) {
            return List.of();
        }
        ParsedSchema parsedCandidate = AvroSchemas.parse(candidate.schema(), candidate.references(), this::resolveReference);
        List<CompatibilityChecker.Existing> existing = new ArrayList<>();
        for (SubjectVersion v : against) {
            StoredSchema stored = state.schema(v.id()).orElseThrow();
            if (!stored.schemaType().equals(candidate.schemaType())) {
                continue;
            }
            existing.add(new CompatibilityChecker.Existing(v.version(),
                    AvroSchemas.parse(stored.schema(), stored.references(), this::resolveReference).schema()));
        }
        return CompatibilityChecker.check(subject, parsedCandidate.schema(), existing, level);
    }

    // ---- reads -----------------------------------------------------------------------------------------------

    public RegisteredSchema byId(int id, String subject) {
        StoredSchema stored = state.schema(id).orElseThrow(() -> RegistryException.schemaNotFound("with id " + id));
        String unqualified = inDefaultContext(subject, id);
        // as Confluent's: an empty subject (Confluent's Java client sends ?subject= when it has none) is no subject
        if (unqualified != null && !unqualified.isEmpty() && state.versionsWithId(id).stream().noneMatch(v -> v.subject().equals(unqualified))) {
            throw RegistryException.schemaNotFound("with id " + id + " in subject '" + subject + "'");
        }
        return new RegisteredSchema(null, null, null, typeField(stored), stored.schema(),
                stored.references(), stored.metadata(), stored.ruleSet());
    }

    /**
     * A lookup's subject without Confluent's context prefix ({@code :.<context>:<subject>}). The mesh keeps one
     * registry per cluster, Confluent's default context ({@code :.:}), so an id asked for in any other context is
     * not found there, as Confluent answers for a context that holds no such id.
     */
    private static String inDefaultContext(String subject, int id) {
        if (subject == null || !subject.startsWith(":.")) {
            return subject;
        }
        int end = subject.indexOf(':', 2);
        String context = end < 0 ? subject.substring(2) : subject.substring(2, end);
        if (!context.isEmpty()) {
            throw RegistryException.schemaNotFound("with id " + id + " in context '." + context + "' (this registry has only the default context)");
        }
        return end < 0 ? "" : subject.substring(end + 1);
    }

    public List<SubjectVersion> versionsOfId(int id, boolean includeDeleted) {
        if (state.schema(id).isEmpty()) {
            throw RegistryException.schemaNotFound("with id " + id);
        }
        return state.versionsWithId(id).stream().filter(v -> includeDeleted || !v.deleted())
                .sorted(Comparator.comparing(SubjectVersion::subject).thenComparing(SubjectVersion::version)).toList();
    }

    public int maxId() {
        return state.maxId();
    }

    public List<String> subjects(boolean includeDeleted, String prefix) {
        return state.subjects(includeDeleted).stream().filter(s -> prefix == null || s.startsWith(prefix)).toList();
    }

    public List<Integer> versions(String subject, boolean includeDeleted) {
        List<SubjectVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions.stream().map(SubjectVersion::version).toList();
    }

    public RegisteredSchema get(String subject, String version, boolean includeDeleted) {
        SubjectVersion v = version(subject, version, includeDeleted);
        return view(v, state.schema(v.id()).orElseThrow());
    }

    public List<Integer> referencedBy(String subject, String version) {
        SubjectVersion v = version(subject, version, true);
        return state.referencedBy(subject, v.version());
    }

    private RegisteredSchema view(SubjectVersion v, StoredSchema stored) {
        return new RegisteredSchema(v.subject(), v.id(), v.version(), typeField(stored), stored.schema(),
                stored.references(), stored.metadata(), stored.ruleSet());
    }

    private static String typeField(StoredSchema stored) {
        return "AVRO".equals(stored.schemaType()) ? null : stored.schemaType();
    }

    /** Resolves a version path parameter: 1..2^31-1, "latest" or -1. */
    private SubjectVersion version(String subject, String version, boolean includeDeleted) {
        int requested = VersionParam.parse(version);
        if (state.versions(subject, includeDeleted).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (requested == VersionParam.LATEST) {
            return latest(subject, false).orElseThrow(() -> RegistryException.subjectNotFound(subject));
        }
        return state.versions(subject, includeDeleted).stream().filter(v -> v.version() == requested).findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(subject, requested));
    }

    private Optional<SubjectVersion> latest(String subject, boolean includeDeleted) {
        List<SubjectVersion> versions = state.versions(subject, includeDeleted);
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    // ---- deletes ---------------------------------------------------------------------------------------------

    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return log.write(s -> {
            requireWritable(subject);
            List<SubjectVersion> all = s.versions(subject, true);
            if (all.isEmpty()) {
                throw RegistryException.subjectNotFound(subject);
            }
            List<SubjectVersion> live = all.stream().filter(v -> !v.deleted()).toList();
            for (SubjectVersion v : all) {
                requireUnreferenced(subject, v.version());
            }
            List<StoreRecord> records = new ArrayList<>();
            if (permanent) {
                if (!live.isEmpty()) {
                    throw new RegistryException(404, 40405, "Subject '" + subject
                            + "' was not deleted first before being permanently deleted");
                }
                records.addAll(highWater(s, subject));
                all.forEach(v -> records.add(StoreRecords.schemaTombstone(subject, v.version())));
                return new Write<>(records, all.stream().map(SubjectVersion::version).toList());
            }
            if (live.isEmpty()) {
                throw new RegistryException(404, 40404, "Subject '" + subject + "' was soft deleted."
                        + " Set permanent=true to delete permanently");
            }
            for (SubjectVersion v : live) {
                records.add(StoreRecords.schema(subject, v.version(), v.id(), s.schema(v.id()).orElseThrow(), true));
            }
            records.add(StoreRecords.deleteSubject(subject, s.maxVersionEver(subject)));
            return new Write<>(records, live.stream().map(SubjectVersion::version).toList());
        });
    }

    public int deleteVersion(String subject, String version, boolean permanent) {
        int requested = VersionParam.parse(version);
        return log.write(s -> {
            requireWritable(subject);
            if (!s.subjectExists(subject)) {
                throw RegistryException.subjectNotFound(subject);
            }
            SubjectVersion v = requested == VersionParam.LATEST
                    ? latest(subject, false).orElseThrow(() -> RegistryException.versionNotFound(subject, "latest"))
                    : s.versions(subject, true).stream().filter(x -> x.version() == requested).findFirst()
                    .orElseThrow(() -> RegistryException.versionNotFound(subject, requested));
            requireUnreferenced(subject, v.version());
            if (permanent) {
                if (!v.deleted()) {
                    throw new RegistryException(404, 40407, "Subject '" + subject + "' version " + v.version()
                            + " was not deleted first before being permanently deleted");
                }
                List<StoreRecord> records = new ArrayList<>(highWater(s, subject));
                records.add(StoreRecords.schemaTombstone(subject, v.version()));
                return new Write<>(records, v.version());
            }
            if (v.deleted()) {
                throw new RegistryException(404, 40406, "Subject '" + subject + "' version " + v.version()
                        + " was soft deleted. Set permanent=true to delete permanently");
            }
            return new Write<>(List.of(StoreRecords.schema(subject, v.version(), v.id(),
                    s.schema(v.id()).orElseThrow(), true)), v.version());
        });
    }

    /** What a permanent delete must not let compaction forget: the highest id and the subject's highest version. */
    private static List<StoreRecord> highWater(RegistryState s, String subject) {
        return List.of(StoreRecords.highWater(null, s.maxId()), StoreRecords.highWater(subject, s.maxVersionEver(subject)));
    }

    private void requireUnreferenced(String subject, int version) {
        List<Integer> by = state.referencedBy(subject, version);
        if (!by.isEmpty()) {
            throw new RegistryException(422, 42206, "Subject '" + subject + "' version " + version
                    + " is referenced by schemas with ids " + by + "; delete those first");
        }
    }

    // ---- config and mode -------------------------------------------------------------------------------------

    public CompatibilityLevel compatibility(String subject) {
        return state.subjectConfig(subject).or(state::globalConfig).flatMap(CompatibilityLevel::parse)
                .orElse(DEFAULT_COMPATIBILITY);
    }

    public CompatibilityLevel globalCompatibility() {
        return state.globalConfig().flatMap(CompatibilityLevel::parse).orElse(DEFAULT_COMPATIBILITY);
    }

    public Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return state.subjectConfig(subject).flatMap(CompatibilityLevel::parse);
    }

    public CompatibilityLevel setCompatibility(String subject, String level) {
        CompatibilityLevel parsed = CompatibilityLevel.parse(level)
                .orElseThrow(() -> RegistryException.invalidCompatibility(level));
        if (subject != null) {
            validateSubject(subject);
        }
        return log.write(s -> new Write<>(List.of(StoreRecords.config(subject, parsed.name())), parsed));
    }

    public CompatibilityLevel deleteCompatibility(String subject) {
        return log.write(s -> {
            if (subject == null) {
                CompatibilityLevel removed = globalCompatibility();
                return new Write<>(List.of(StoreRecords.config(null, null)), removed);
            }
            CompatibilityLevel removed = subjectCompatibility(subject)
                    .orElseThrow(() -> RegistryException.subjectNotFound(subject));
            return new Write<>(List.of(StoreRecords.config(subject, null)), removed);
        });
    }

    public Mode mode(String subject) {
        Optional<Mode> global = state.globalMode().flatMap(Mode::parse);
        if (global.isPresent() && global.get() == Mode.READONLY_OVERRIDE) {
            return Mode.READONLY_OVERRIDE;
        }
        return (subject == null ? Optional.<String>empty() : state.subjectMode(subject)).or(state::globalMode)
                .flatMap(Mode::parse).orElse(DEFAULT_MODE);
    }

    public Optional<Mode> subjectMode(String subject) {
        return state.subjectMode(subject).flatMap(Mode::parse);
    }

    public Mode setMode(String subject, String mode) {
        Mode parsed = Mode.parse(mode).orElseThrow(() -> RegistryException.invalidMode(mode));
        if (subject != null) {
            validateSubject(subject);
        }
        return log.write(s -> new Write<>(List.of(StoreRecords.mode(subject, parsed.name())), parsed));
    }

    public Mode deleteMode(String subject) {
        return log.write(s -> {
            Mode removed = subjectMode(subject).orElseThrow(() -> new RegistryException(404, 40409,
                    "Subject '" + subject + "' has no mode of its own"));
            return new Write<>(List.of(StoreRecords.mode(subject, null)), removed);
        });
    }

    private void requireWritable(String subject) {
        if (!mode(subject).allowsWrites()) {
            throw RegistryException.readOnly(subject);
        }
    }

    private static void validateSubject(String subject) {
        if (subject == null || subject.isBlank() || subject.chars().anyMatch(Character::isISOControl)) {
            throw new RegistryException(422, 42208, "Invalid subject '" + subject
                    + "': it must be non-empty and contain no control characters");
        }
    }
}

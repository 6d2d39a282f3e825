package dev.mesh.sdk.internal.openlineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.utils.UUIDUtils;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One run of a streaming job: START, RUNNING on a schedule, then COMPLETE or FAIL, each once. */
public final class LineageRun implements AutoCloseable {
    /** A run that sends nothing (OpenLineage is off). */
    public static final LineageRun NONE = new LineageRun(null, null, null, null, null, null);

    private final LineageEmitter emitter;
    private final String job;
    private final String jobType;
    private final String owner;
    private final Supplier<List<OpenLineage.InputDataset>> inputs;
    private final Supplier<List<OpenLineage.OutputDataset>> outputs;
    private final UUID runId = UUIDUtils.generateNewUUID();
    private ScheduledFuture<?> ticking;
    private boolean started;
    private boolean ended;

    LineageRun(LineageEmitter emitter, String job, String jobType, String owner,
               Supplier<List<OpenLineage.InputDataset>> inputs, Supplier<List<OpenLineage.OutputDataset>> outputs) {
        this.emitter = emitter;
        this.job = job;
        this.jobType = jobType;
        this.owner = owner;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    public UUID runId() {
        return runId;
    }

    /** Sends START and then RUNNING every tracking interval; a second call does nothing. */
    public synchronized void start() {
        if (emitter == null || started) {
            return;
        }
        started = true;
        send(OpenLineage.RunEvent.EventType.START, null);
        long every = emitter.interval().toMillis();
        try {
            ticking = emitter.sender().scheduleWithFixedDelay(() -> emit(OpenLineage.RunEvent.EventType.RUNNING, null),
                    every, every, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the emitter is closing
        }
    }

    /** Sends FAIL with the error; the run is over. */
    public synchronized void fail(Throwable error) {
        end(OpenLineage.RunEvent.EventType.FAIL, error);
    }

    /** Sends COMPLETE, waiting a little for it to go out, unless the run already ended. */
    @Override
    public synchronized void close() {
        end(OpenLineage.RunEvent.EventType.COMPLETE, null);
    }

    private void end(OpenLineage.RunEvent.EventType type, Throwable error) {
        if (emitter == null || !started || ended) {
            return;
        }
        ended = true;
        if (ticking != null) {
            ticking.cancel(false);
        }
        Future<?> sent = send(type, error);
        try {
            if (sent != null) {
                sent.get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // logged by the emitter, or still going: the application's close must not wait on lineage
        }
    }

    private Future<?> send(OpenLineage.RunEvent.EventType type, Throwable error) {
        try {
            return emitter.sender().submit(() -> emit(type, error));
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    private void emit(OpenLineage.RunEvent.EventType type, Throwable error) {
        OpenLineage ol = emitter.ol();
        OpenLineage.RunFacetsBuilder runFacets = ol.newRunFacetsBuilder();
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            runFacets.errorMessage(ol.newErrorMessageRunFacet(String.valueOf(error.getMessage()), "JAVA", trace.toString()));
        }
        OpenLineage.JobFacets jobFacets = ol.newJobFacetsBuilder()
                .jobType(ol.newJobTypeJobFacetBuilder().processingType("STREAMING").integration("MESH").jobType(jobType).build())
                .ownership(ol.newOwnershipJobFacet(List.of(ol.newOwnershipJobFacetOwners("team:" + owner, "team"))))
                .build();
        emitter.emit(ol.newRunEventBuilder().eventType(type).eventTime(ZonedDateTime.now(ZoneOffset.UTC))
                .run(ol.newRunBuilder().runId(runId).facets(runFacets.build()).build())
                .job(ol.newJobBuilder().namespace(emitter.namespace()).name(job).facets(jobFacets).build())
                .inputs(inputs.get()).outputs(outputs.get()).build());
    }
}

package dev.mesh.registry.api;

import dev.mesh.registry.RegistryApplication;
import dev.mesh.registry.dek.DekRegistryService;
import dev.mesh.sdk.registry.Dek;
import dev.mesh.sdk.registry.Kek;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

/** Confluent's DEK Registry API ({@code /dek-registry/v1/keks}), as its Java, Go, .NET and JavaScript clients call it. */
@Requires(env = RegistryApplication.ENV)
@Controller("/dek-registry/v1/keks")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
@Produces({Json.V1_JSON, Json.SR_JSON, MediaType.APPLICATION_JSON, MediaType.ALL})
final class DekRegistryController {
    private final DekRegistryService keys;

    DekRegistryController(DekRegistryService keys) {
        this.keys = keys;
    }

    @Get
    HttpResponse<String> keks(@Nullable @QueryValue List<String> subjectPrefix, @Nullable @QueryValue String deleted) {
        return Json.ok(keys.keks(subjectPrefix, Json.flag("deleted", deleted, false)));
    }

    @Post
    HttpResponse<String> createKek(io.micronaut.http.HttpRequest<?> request, @Nullable @Body byte[] body,
                                   @Nullable @QueryValue String testSharing) {
        Json.flag("testSharing", testSharing, false);
        Kek kek = Json.read(body, Kek.class);
        // with security on, the principal decided for (here or by the follower that passed the request on)
        request.getAttribute(dev.mesh.service.security.MeshAccessRule.DECIDED_FOR, String.class).ifPresent(principal -> {
            var verdict = dev.mesh.registry.security.DekRoutes.kekOwner(principal, kek.name(), "create KEK");
            if (!verdict.allowed()) {
                throw new dev.mesh.registry.core.RegistryException(403, 40301, verdict.explanation());
            }
        });
        return Json.ok(keys.createKek(kek));
    }

    @Get("/{name}")
    HttpResponse<String> kek(String name, @Nullable @QueryValue String deleted) {
        return Json.ok(keys.kek(name, Json.flag("deleted", deleted, false)));
    }

    @Put("/{name}")
    HttpResponse<String> updateKek(String name, @Nullable @Body byte[] body, @Nullable @QueryValue String testSharing) {
        Json.flag("testSharing", testSharing, false);
        return Json.ok(keys.updateKek(name, Json.read(body, DekRegistryService.KekUpdate.class)));
    }

    @Delete("/{name}")
    HttpResponse<String> deleteKek(String name, @Nullable @QueryValue String permanent) {
        keys.deleteKek(name, Json.flag("permanent", permanent, false));
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Post("/{name}/undelete")
    HttpResponse<String> undeleteKek(String name) {
        keys.undeleteKek(name);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Get("/{name}/deks")
    HttpResponse<String> dekSubjects(String name, @Nullable @QueryValue String deleted) {
        return Json.ok(keys.dekSubjects(name, Json.flag("deleted", deleted, false)));
    }

    @Post("/{name}/deks/{subject}")
    HttpResponse<String> createDek(String name, String subject, @Nullable @Body byte[] body,
                                   @Nullable @QueryValue String rewrap) {
        Json.flag("rewrap", rewrap, false);
        return Json.ok(keys.createDek(name, subject, Json.read(body, Dek.class)));
    }

    /** Deprecated in Confluent's API (the subject in the body); its clients still fall back to it. */
    @Post("/{name}/deks")
    HttpResponse<String> createDekNamedInBody(String name, @Nullable @Body byte[] body) {
        Dek request = Json.read(body, Dek.class);
        return Json.ok(keys.createDek(name, request.subject(), request));
    }

    @Get("/{name}/deks/{subject}")
    HttpResponse<String> dek(String name, String subject, @Nullable @QueryValue String algorithm,
                             @Nullable @QueryValue String deleted) {
        return Json.ok(keys.dek(name, subject, "1", algorithm, Json.flag("deleted", deleted, false)));
    }

    @Get("/{name}/deks/{subject}/versions")
    HttpResponse<String> dekVersions(String name, String subject, @Nullable @QueryValue String algorithm,
                                     @Nullable @QueryValue String deleted) {
        return Json.ok(keys.dekVersions(name, subject, algorithm, Json.flag("deleted", deleted, false)));
    }

    @Get("/{name}/deks/{subject}/versions/{version}")
    HttpResponse<String> dekVersion(String name, String subject, String version, @Nullable @QueryValue String algorithm,
                                    @Nullable @QueryValue String deleted) {
        return Json.ok(keys.dek(name, subject, version, algorithm, Json.flag("deleted", deleted, false)));
    }

    @Delete("/{name}/deks/{subject}")
    HttpResponse<String> deleteDek(String name, String subject, @Nullable @QueryValue String algorithm,
                                   @Nullable @QueryValue String permanent) {
        keys.deleteDek(name, subject, null, algorithm, Json.flag("permanent", permanent, false));
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Delete("/{name}/deks/{subject}/versions/{version}")
    HttpResponse<String> deleteDekVersion(String name, String subject, String version,
                                          @Nullable @QueryValue String algorithm, @Nullable @QueryValue String permanent) {
        keys.deleteDek(name, subject, version, algorithm, Json.flag("permanent", permanent, false));
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Post("/{name}/deks/{subject}/undelete")
    HttpResponse<String> undeleteDek(String name, String subject, @Nullable @QueryValue String algorithm) {
        keys.undeleteDek(name, subject, null, algorithm);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }

    @Post("/{name}/deks/{subject}/versions/{version}/undelete")
    HttpResponse<String> undeleteDekVersion(String name, String subject, String version,
                                            @Nullable @QueryValue String algorithm) {
        keys.undeleteDek(name, subject, version, algorithm);
        return HttpResponse.status(HttpStatus.NO_CONTENT);
    }
}

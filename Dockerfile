# One image for every mesh service (the registry, the domains, the catalog and the CLI): the mesh's whole runtime
# classpath, as `./mesh` runs it; docker-compose.yml picks the service with MAIN_CLASS. MESH_BASE_IMAGE is the Java
# runtime underneath (eclipse-temurin by default; CI builds its own, as it cannot pull images).
ARG MESH_BASE_IMAGE=eclipse-temurin:17-jre
ARG MESH_BUILD_IMAGE=maven:3.9-eclipse-temurin-17

# From a build on the host: `.ci/stage-runtime .docker-stage`, then
# `docker build --target prebuilt -t mesh-service:local -f Dockerfile .docker-stage` (what CI does).
# First, so that a builder without BuildKit, which builds every stage up to its target, builds only this one.
FROM ${MESH_BASE_IMAGE} AS prebuilt
COPY lib /app/lib
COPY logback.xml /app/logback.xml
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60"
ENTRYPOINT ["sh", "-c", "exec java -Dlogback.configurationFile=/app/logback.xml --add-opens=java.base/java.nio=ALL-UNNAMED $JAVA_OPTS -cp '/app/lib/*' $MAIN_CLASS \"$@\"", "--"]

# Built from source inside Docker (`docker compose up --build`).
FROM ${MESH_BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q install -DskipTests && .ci/stage-runtime /stage

FROM ${MESH_BASE_IMAGE} AS service
COPY --from=build /stage/lib /app/lib
COPY --from=build /stage/logback.xml /app/logback.xml
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60"
# arguments (the CLI's command) pass through to the main class; --add-opens is for the catalog's SQL (Arrow's memory)
ENTRYPOINT ["sh", "-c", "exec java -Dlogback.configurationFile=/app/logback.xml --add-opens=java.base/java.nio=ALL-UNNAMED $JAVA_OPTS -cp '/app/lib/*' $MAIN_CLASS \"$@\"", "--"]

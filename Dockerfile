# One image recipe for every mesh service: the build stage compiles the repository once; the runtime stage takes
# one module's classes and runtime dependencies. docker-compose.yml picks the module with build args.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# the registry (policies) and the catalog (the marketplace) read the mesh's contracts from the schemas jar beside them
RUN ./mvnw -B -q install -DskipTests \
 && for m in mesh-registry domain-sales domain-finance domain-marketing mesh-catalog mesh-cli; do \
      ./mvnw -B -q -f "$m/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib; \
    done \
 && cp schemas/target/schemas-*.jar mesh-registry/target/lib/ && cp schemas/target/schemas-*.jar mesh-catalog/target/lib/

FROM eclipse-temurin:17-jre AS service
ARG MODULE
ARG MAIN_CLASS
COPY --from=build /src/${MODULE}/target/classes /app/classes
COPY --from=build /src/${MODULE}/target/lib /app/lib
ENV MAIN_CLASS=${MAIN_CLASS} JAVA_OPTS="-XX:+UseSerialGC -XX:MaxRAMPercentage=60"
# arguments (the CLI's command) pass through to the main class
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/classes:/app/lib/*' $MAIN_CLASS \"$@\"", "--"]

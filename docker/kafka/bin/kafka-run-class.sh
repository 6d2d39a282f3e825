#!/usr/bin/env bash
# Runs a class of Kafka's with its jars, as the distribution's script of the same name does.
exec java ${KAFKA_HEAP_OPTS:--Xmx1g} ${KAFKA_OPTS:-} -Dlogback.configurationFile=/etc/kafka/docker/logback.xml \
  -cp "/opt/kafka/libs/*" "$@"

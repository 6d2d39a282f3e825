#!/usr/bin/env bash
# Starts the apache/kafka image secured as `mesh up` runs its broker: SASL on every listener, the admin (the super
# user) known from its secret in /credentials/admin.properties (written by `mesh access credentials`), everyone
# else by SCRAM-SHA-512 credentials that `mesh access init` creates. The secret never appears in compose files.
set -euo pipefail
secret=$(sed -n 's/^basic.auth.user.info=admin://p' /credentials/admin.properties)
[[ -n "$secret" ]] || { echo "no admin secret in /credentials/admin.properties" >&2; exit 1; }
plain="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$secret\" user_admin=\"$secret\";"
scram="org.apache.kafka.common.security.scram.ScramLoginModule required;"
for listener in CLIENT CONTROLLER HOST; do
  export "KAFKA_LISTENER_NAME_${listener}_PLAIN_SASL_JAAS_CONFIG=$plain"
  export "KAFKA_LISTENER_NAME_${listener}_SCRAM___SHA___512_SASL_JAAS_CONFIG=$scram"
done
# for the health check: the admin over PLAIN, which the broker knows before any SCRAM credential exists
cat > /tmp/admin-plain.properties <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$secret";
PROPS
exec /etc/kafka/docker/run

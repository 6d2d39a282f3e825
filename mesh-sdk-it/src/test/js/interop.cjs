// Confluent's own JavaScript client (@confluentinc/schemaregistry, its Avro serdes, field encryption executor and
// local KMS driver) as one principal of the mesh: serializes or deserializes one record of a topic through our
// registry and DEK Registry. One process per principal: the executor keeps the first client it was configured with.
// Input (argv[2], JSON): {registry, userInfo, topic, op: "serialize" | "deserialize", value?, bytes? (base64), secret?}
// Output (stdout, JSON): {bytes} or {value}, or {error}.
const sr = require('@confluentinc/schemaregistry');

sr.FieldEncryptionExecutor.register();
sr.LocalKmsDriver.register();

async function main() {
  const input = JSON.parse(process.argv[2]);
  const client = sr.SchemaRegistryClient.newClient({
    baseURLs: [input.registry],
    cacheCapacity: 100,
    basicAuthCredentials: {credentialsSource: 'USER_INFO', userInfo: input.userInfo},
  });
  const ruleConfig = input.secret ? {secret: input.secret} : {};
  if (input.op === 'serialize') {
    const ser = new sr.AvroSerializer(client, sr.SerdeType.VALUE, {useLatestVersion: true, ruleConfig});
    const bytes = await ser.serialize(input.topic, input.value);
    return {bytes: Buffer.from(bytes).toString('base64')};
  }
  const deser = new sr.AvroDeserializer(client, sr.SerdeType.VALUE, {ruleConfig});
  const value = await deser.deserialize(input.topic, Buffer.from(input.bytes, 'base64'));
  return {value};
}

main().then(out => {
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}, err => {
  process.stdout.write(JSON.stringify({error: String(err && err.message || err)}) + '\n');
  process.exit(0);
});

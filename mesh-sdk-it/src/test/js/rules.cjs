// Confluent's JavaScript serializer (@confluentinc/schemaregistry, its CelExecutor) as a producer of the mesh's
// products: for each record, which registered quality rules fail. The records come as Avro bytes and are decoded by
// avsc into the plain objects a JavaScript producer passes (decimals as their bytes, timestamps as numbers, enums as
// strings). A DLQ action, as a producer registers one, records the rule that sent a record there.
// Input: argv[2], a JSON file {registry, userInfo?, products: [{subject, topic, schema, records: [base64]}]}.
// Output (stdout, JSON): {products: [{subject, failed: [[rule names] per record]}]}, or {error}.
const sr = require('@confluentinc/schemaregistry');
const avsc = require('avsc');
const fs = require('fs');

let failed = [];
sr.RuleRegistry.registerRuleAction({
  configure() {},
  type() { return 'DLQ'; },
  async run(ctx) { failed.push(ctx.rule.name); },
  close() {},
});
sr.CelExecutor.register();
// the quality rules alone: field encryption has its own interop test (PiiEncryptionTest, interop.cjs)
sr.RuleRegistry.registerRuleOverride({type: 'ENCRYPT', disabled: true});

function plain(value) {
  if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [k, plain(v)]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const client = sr.SchemaRegistryClient.newClient({
    baseURLs: [input.registry],
    cacheCapacity: 1000,
    ...(input.userInfo ? {basicAuthCredentials: {credentialsSource: 'USER_INFO', userInfo: input.userInfo}} : {}),
  });
  const out = [];
  for (const product of input.products) {
    const type = avsc.Type.forSchema(JSON.parse(product.schema));
    const ser = new sr.AvroSerializer(client, sr.SerdeType.VALUE,
        {useLatestVersion: true, subjectNameStrategy: () => product.subject});
    const perRecord = [];
    for (const record of product.records) {
      failed = [];
      await ser.serialize(product.topic, plain(type.fromBuffer(Buffer.from(record, 'base64'))));
      perRecord.push(failed);
    }
    out.push({subject: product.subject, failed: perRecord});
  }
  return {products: out};
}

main().then(out => {
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}, err => {
  process.stdout.write(JSON.stringify({error: String(err && err.stack || err)}) + '\n');
  process.exit(0);
});

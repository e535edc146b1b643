// Runs one benchmark module's `run()` and prints its figures as one JSON line.
async function main(): Promise<void> {
  const mod = require(process.argv[2]);
  const figures = await mod.run();
  process.stdout.write(JSON.stringify(figures) + '\n');
}
main().catch((e) => { process.stderr.write(String(e?.stack ?? e) + '\n'); process.exit(1); });

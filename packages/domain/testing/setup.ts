// Every test file of the domain's workerd project gets its own local D1 (and R2); the real migrations go in first.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

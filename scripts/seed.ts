// `pnpm db:seed`: applies the migrations to the local D1 and seeds the demo data if the database is empty.
import { join } from "node:path";
import { migrate, root, seedIfEmpty } from "./lib/stack.ts";

const persistTo = join(root, ".wrangler/state");
migrate(persistTo);
console.log(
  (await seedIfEmpty(persistTo))
    ? "seeded the demo data"
    : "the database already has tenants: nothing seeded",
);

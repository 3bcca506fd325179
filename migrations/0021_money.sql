-- Fataplus schema, part 21: money (docs/decisions/028-money.md).
--
-- A proposal the client accepts becomes money: the accepted total (with the optional lines they ticked) is the
-- lead's value and the project's budget; the acceptance is kept as a simple electronic signature; a deposit
-- invoice is drafted. Invoices and credit notes belong to the project's tenant; their numbers come from one
-- gapless sequence per series and year, taken in the same D1 batch as the issue. Amounts are integers in the
-- currency's minor unit (EUR: cents; MGA: ariary, no decimals).

-- The share of the accepted total the deposit invoice asks for (whole percent; 0: no deposit).
ALTER TABLE "proposals" ADD COLUMN "deposit_percent" INTEGER NOT NULL DEFAULT 30
  CHECK ("deposit_percent" BETWEEN 0 AND 100);
-- The total the client accepted: the mandatory lines plus the optional ones they ticked.
ALTER TABLE "proposals" ADD COLUMN "accepted_total_cents" INTEGER
  CHECK ("accepted_total_cents" IS NULL OR "accepted_total_cents" >= 0);
-- A composite key for the tables below to reference (tenant_id, id).
CREATE UNIQUE INDEX "idx_unique_proposals_tenant_id_id" ON "proposals" ("tenant_id", "id");

-- The client's acceptance of one version of a proposal: a simple electronic signature (eIDAS art. 25 / the
-- Malagasy law 2014-025): the typed name, the terms ticked, the SHA-256 of what was accepted (canonical JSON of
-- the version, the options chosen and the total), when and from which address. One per proposal.
CREATE TABLE "proposal_acceptances" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "proposal_id" TEXT NOT NULL,
  "version" INTEGER NOT NULL CHECK ("version" >= 1),
  "content_hash" TEXT NOT NULL CHECK (length("content_hash") = 64),
  "content" TEXT NOT NULL CHECK (json_valid("content")),
  "signer_name" TEXT NOT NULL CHECK (length("signer_name") BETWEEN 2 AND 200),
  "signer_user_id" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "signer_email" TEXT NOT NULL,
  "options" TEXT NOT NULL CHECK (json_valid("options") AND json_type("options") = 'array'),
  "total_cents" INTEGER NOT NULL CHECK ("total_cents" >= 0),
  "currency" TEXT NOT NULL,
  "terms_accepted" INTEGER NOT NULL CHECK ("terms_accepted" = 1),
  "source_ip" TEXT NOT NULL,
  "user_agent" TEXT,
  "accepted_at" TEXT NOT NULL,
  FOREIGN KEY ("tenant_id", "proposal_id") REFERENCES "proposals" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "idx_unique_proposal_acceptances_tenant_id_proposal_id"
  ON "proposal_acceptances" ("tenant_id", "proposal_id");

-- Invoices and credit notes of a project tenant. `number` is NULL while a draft and set once, at issue, from
-- invoice_sequences; an issued row never changes again except its payment state (paid_minor, status) and its
-- cancellation by a credit note (kind 'credit_note', credit_of = the cancelled invoice). Lines, seller and buyer
-- are JSON snapshots validated by packages/domain/src/money/schemas.ts: what was issued stays as issued.
-- `status` holds draft / issued / partly_paid / paid / cancelled; "overdue" is read from due_date.
CREATE TABLE "invoices" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "project_id" TEXT NOT NULL,
  "kind" TEXT NOT NULL DEFAULT 'invoice' CHECK ("kind" IN ('invoice', 'credit_note')),
  "purpose" TEXT NOT NULL DEFAULT 'standard' CHECK ("purpose" IN ('standard', 'deposit', 'credit')),
  "proposal_id" TEXT,
  "credit_of" TEXT,
  "number" TEXT,
  "status" TEXT NOT NULL DEFAULT 'draft'
    CHECK ("status" IN ('draft', 'issued', 'partly_paid', 'paid', 'cancelled')),
  "locale" TEXT NOT NULL DEFAULT 'fr' CHECK ("locale" IN ('fr', 'en')),
  "currency" TEXT NOT NULL CHECK ("currency" IN ('EUR', 'MGA')),
  "issue_date" TEXT NOT NULL,
  "due_days" INTEGER NOT NULL DEFAULT 30 CHECK ("due_days" BETWEEN 0 AND 365),
  "due_date" TEXT NOT NULL,
  "payment_terms" TEXT,
  "vat_mention" TEXT,
  "seller" TEXT NOT NULL CHECK (json_valid("seller")),
  "buyer" TEXT NOT NULL CHECK (json_valid("buyer")),
  "lines" TEXT NOT NULL CHECK (json_valid("lines") AND json_type("lines") = 'array'),
  "subtotal_minor" INTEGER NOT NULL CHECK ("subtotal_minor" >= 0),
  "tax_minor" INTEGER NOT NULL CHECK ("tax_minor" >= 0),
  "total_minor" INTEGER NOT NULL CHECK ("total_minor" >= 0),
  "paid_minor" INTEGER NOT NULL DEFAULT 0 CHECK ("paid_minor" >= 0 AND "paid_minor" <= "total_minor"),
  "notes" TEXT,
  "version" INTEGER NOT NULL DEFAULT 1,
  -- the payment reminders sent (money/reminders.ts): 0 none, 1 the one before the due date, 2 the one after
  "reminder_stage" INTEGER NOT NULL DEFAULT 0 CHECK ("reminder_stage" BETWEEN 0 AND 2),
  "issued_at" TEXT,
  "cancelled_at" TEXT,
  "created_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (("number" IS NULL) = ("status" = 'draft')),
  CHECK (("kind" = 'credit_note') = ("credit_of" IS NOT NULL)),
  FOREIGN KEY ("tenant_id", "project_id") REFERENCES "projects" ("tenant_id", "id") ON DELETE CASCADE,
  FOREIGN KEY ("tenant_id", "proposal_id") REFERENCES "proposals" ("tenant_id", "id"),
  FOREIGN KEY ("tenant_id", "credit_of") REFERENCES "invoices" ("tenant_id", "id")
);
CREATE UNIQUE INDEX "idx_unique_invoices_tenant_id_id" ON "invoices" ("tenant_id", "id");
CREATE INDEX "idx_invoices_tenant_id_issue_date" ON "invoices" ("tenant_id", "issue_date");
-- a number is unique across the agency (one sequence per series and year)
CREATE UNIQUE INDEX "idx_unique_invoices_number" ON "invoices" ("number") WHERE "number" IS NOT NULL;
-- one deposit per proposal, one credit note per invoice
CREATE UNIQUE INDEX "idx_unique_invoices_tenant_id_proposal_id"
  ON "invoices" ("tenant_id", "proposal_id") WHERE "purpose" = 'deposit';
CREATE UNIQUE INDEX "idx_unique_invoices_tenant_id_credit_of" ON "invoices" ("tenant_id", "credit_of")
  WHERE "credit_of" IS NOT NULL;
-- the agency's list, totals and monthly revenue over a period (staff, every tenant): walked by date
CREATE INDEX "idx_invoices_issue_date_status_currency_kind_total_minor_paid_minor"
  ON "invoices" ("issue_date", "status", "currency", "kind", "total_minor", "paid_minor");

-- the reminders' daily pass (every tenant, by design): open invoices by due date
CREATE INDEX "idx_invoices_status_due_date" ON "invoices" ("status", "due_date");

-- Payments received against an invoice: recorded by hand (bank transfer, cash) or by a provider's adapter.
-- (provider, provider_ref) is unique: a webhook delivered twice records one payment.
CREATE TABLE "invoice_payments" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "tenant_id" TEXT NOT NULL REFERENCES "tenants" ("id") ON DELETE CASCADE,
  "invoice_id" TEXT NOT NULL,
  "provider" TEXT NOT NULL CHECK ("provider" IN ('manual', 'stripe', 'mvola', 'orange_money')),
  "provider_ref" TEXT NOT NULL CHECK (length("provider_ref") BETWEEN 1 AND 200),
  "amount_minor" INTEGER NOT NULL CHECK ("amount_minor" > 0),
  "currency" TEXT NOT NULL CHECK ("currency" IN ('EUR', 'MGA')),
  "received_on" TEXT NOT NULL,
  "note" TEXT,
  "recorded_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  FOREIGN KEY ("tenant_id", "invoice_id") REFERENCES "invoices" ("tenant_id", "id") ON DELETE CASCADE
);
CREATE INDEX "idx_invoice_payments_tenant_id_invoice_id" ON "invoice_payments" ("tenant_id", "invoice_id");
CREATE UNIQUE INDEX "idx_unique_invoice_payments_provider_provider_ref" ON "invoice_payments" ("provider", "provider_ref");

-- The gapless numbering: one row per series ('FA' invoices, 'AV' credit notes) and year, its last number
-- given. Global (the agency numbers across its projects); only the issuing batch touches it.
CREATE TABLE "invoice_sequences" (
  "series" TEXT NOT NULL CHECK ("series" IN ('FA', 'AV')),
  "year" INTEGER NOT NULL CHECK ("year" BETWEEN 2000 AND 9999),
  "last_number" INTEGER NOT NULL DEFAULT 0 CHECK ("last_number" >= 0),
  PRIMARY KEY ("series", "year")
);

-- The agency's legal identity on its invoices (one row): name and address, Madagascar's NIF and STAT, France's
-- SIRET and VAT number, the default VAT rate and payment terms. Global, like agency_settings.
CREATE TABLE "agency_billing" (
  "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
  "legal_name" TEXT NOT NULL DEFAULT 'Fataplus' CHECK (length("legal_name") BETWEEN 1 AND 200),
  "address" TEXT,
  "country" TEXT NOT NULL DEFAULT 'MG' CHECK ("country" IN ('MG', 'FR')),
  "nif" TEXT,
  "stat" TEXT,
  "siret" TEXT,
  "vat_number" TEXT,
  "email" TEXT,
  "bank_details" TEXT,
  "default_vat_bp" INTEGER NOT NULL DEFAULT 2000 CHECK ("default_vat_bp" IN (0, 210, 550, 1000, 2000)),
  "default_due_days" INTEGER NOT NULL DEFAULT 30 CHECK ("default_due_days" BETWEEN 0 AND 365),
  "updated_by" INTEGER REFERENCES "users" ("id") ON DELETE SET NULL,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
INSERT INTO "agency_billing" ("id") VALUES (1);

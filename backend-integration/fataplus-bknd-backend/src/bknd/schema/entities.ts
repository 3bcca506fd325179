/**
 * bknd entity definitions. They MIRROR the SQL migrations under /migrations, which own the schema
 * (docs/decisions/002-schema-ownership.md). bknd never syncs against a real database: the drift test
 * (schema.drift.test.ts) applies the migrations and asks bknd for its diff, which must be empty.
 */
import { em, entity, json, number, systemEntity, text } from "bknd";

const tenantId = () => text({ fillable: ["create"] }).required();

export const schema = em(
  {
    tenants: entity(
      "tenants",
      {
        name: text().required(),
        subdomain: text().required(),
        kind: text().required(),
        status: text().required(),
        created_at: text().required(),
        stage: text().required(),
      },
      { primary_format: "uuid" },
    ),
    users: systemEntity("users", {
      name: text(),
      locale: text(),
      status: text(),
      created_at: text(),
      time_zone: text(),
    }),
    memberships: entity("memberships", {
      tenant_id: tenantId(),
      user_id: number().required(),
      role: text().required(),
      created_at: text(),
    }),
    invitations: entity(
      "invitations",
      {
        tenant_id: tenantId(),
        email: text().required(),
        role: text().required(),
        token_hash: text().required(),
        invited_by: number(),
        expires_at: text().required(),
        accepted_at: text(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    clients: entity(
      "clients",
      {
        tenant_id: tenantId(),
        kind: text().required(),
        name: text().required(),
        email: text(),
        phone: text(),
        organization_id: text(),
        notes: text(),
        job_title: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    projects: entity(
      "projects",
      {
        tenant_id: tenantId(),
        client_id: text(),
        name: text().required(),
        description: text(),
        status: text().required(),
        phase: text().required(),
        start_date: text(),
        due_date: text(),
        budget_cents: number(),
        estimate_cents: number(),
        currency: text(),
        contact_id: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    tasks: entity(
      "tasks",
      {
        tenant_id: tenantId(),
        project_id: text().required(),
        title: text().required(),
        description: text(),
        status: text().required(),
        priority: text().required(),
        assignee_id: number(),
        due_date: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    leads: entity(
      "leads",
      {
        tenant_id: tenantId(),
        client_id: text(),
        title: text().required(),
        contact_name: text(),
        email: text(),
        stage: text().required(),
        value_cents: number(),
        source: text(),
        notes: text(),
        contact_id: text(),
        lost_reason: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    notes: entity(
      "notes",
      {
        tenant_id: tenantId(),
        client_id: text(),
        lead_id: text(),
        body: text().required(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    audit_log: entity(
      "audit_log",
      {
        tenant_id: tenantId(),
        actor_type: text().required(),
        actor_id: text(),
        action: text().required(),
        entity: text().required(),
        entity_id: text(),
        data: json(),
        created_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    // the intake (migrations/0007_intake.sql): not exposed through the data API (the gate keeps them closed)
    intakes: entity(
      "intakes",
      {
        tenant_id: tenantId(),
        lead_id: text().required(),
        project_tenant_id: text().required(),
        idempotency_key: text().required(),
        payload_hash: text().required(),
        locale: text().required(),
        email: text().required(),
        answers: text().required(),
        analysis: text().required(),
        analyser: text().required(),
        analyser_note: text(),
        pm_user_id: number(),
        decided_at: text(),
        created_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    project_phases: entity(
      "project_phases",
      {
        tenant_id: tenantId(),
        project_id: text().required(),
        position: number().required(),
        phase: text().required(),
        name: text().required(),
        effort_days: number(),
        created_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    proposals: entity(
      "proposals",
      {
        tenant_id: tenantId(),
        project_id: text().required(),
        status: text().required(),
        locale: text().required(),
        currency: text().required(),
        title: text().required(),
        summary: text(),
        items: text().required(),
        assumptions: text().required(),
        total_cents: number().required(),
        valid_until: text().required(),
        client_note: text(),
        version: number().required(),
        sent_at: text(),
        responded_at: text(),
        created_at: text().required(),
        updated_at: text().required(),
        deposit_percent: number().required(),
        accepted_total_cents: number(),
      },
      { primary_format: "uuid" },
    ),
    // Money (migrations/0021_money.sql, docs/decisions/028-money.md).
    proposal_acceptances: entity(
      "proposal_acceptances",
      {
        tenant_id: tenantId(),
        proposal_id: text().required(),
        version: number().required(),
        content_hash: text().required(),
        content: text().required(),
        signer_name: text().required(),
        signer_user_id: number(),
        signer_email: text().required(),
        options: text().required(),
        total_cents: number().required(),
        currency: text().required(),
        terms_accepted: number().required(),
        source_ip: text().required(),
        user_agent: text(),
        accepted_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    invoices: entity(
      "invoices",
      {
        tenant_id: tenantId(),
        project_id: text().required(),
        kind: text().required(),
        purpose: text().required(),
        proposal_id: text(),
        credit_of: text(),
        number: text(),
        status: text().required(),
        locale: text().required(),
        currency: text().required(),
        issue_date: text().required(),
        due_days: number().required(),
        due_date: text().required(),
        payment_terms: text(),
        vat_mention: text(),
        seller: text().required(),
        buyer: text().required(),
        lines: text().required(),
        subtotal_minor: number().required(),
        tax_minor: number().required(),
        total_minor: number().required(),
        paid_minor: number().required(),
        notes: text(),
        version: number().required(),
        reminder_stage: number().required(),
        issued_at: text(),
        cancelled_at: text(),
        created_by: number(),
        created_at: text().required(),
        updated_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    invoice_payments: entity(
      "invoice_payments",
      {
        tenant_id: tenantId(),
        invoice_id: text().required(),
        provider: text().required(),
        provider_ref: text().required(),
        amount_minor: number().required(),
        currency: text().required(),
        received_on: text().required(),
        note: text(),
        recorded_by: number(),
        created_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    // The bootcamp (migrations/0008_bootcamp.sql, docs/decisions/010-bootcamp.md).
    bootcamp_courses: entity(
      "bootcamp_courses",
      {
        tenant_id: tenantId(),
        slug: text().required(),
        title: text().required(),
        summary: text(),
        language: text(),
        level: text(),
        status: text(),
        position: number(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_modules: entity(
      "bootcamp_modules",
      {
        tenant_id: tenantId(),
        course_id: text().required(),
        title: text().required(),
        position: number(),
        archived_at: text(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_lessons: entity(
      "bootcamp_lessons",
      {
        tenant_id: tenantId(),
        course_id: text().required(),
        module_id: text().required(),
        title: text().required(),
        body_md: text(),
        position: number(),
        release_offset_days: number(),
        archived_at: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_assignments: entity(
      "bootcamp_assignments",
      {
        tenant_id: tenantId(),
        course_id: text().required(),
        title: text().required(),
        brief_md: text(),
        due_offset_days: number(),
        rubric: text(),
        position: number(),
        archived_at: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_cohorts: entity(
      "bootcamp_cohorts",
      {
        tenant_id: tenantId(),
        course_id: text().required(),
        name: text().required(),
        start_date: text().required(),
        end_date: text(),
        seats: number(),
        status: text(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_cohort_instructors: entity(
      "bootcamp_cohort_instructors",
      { tenant_id: tenantId(), cohort_id: text().required(), user_id: number().required() },
      { primary_format: "uuid" },
    ),
    bootcamp_enrolments: entity(
      "bootcamp_enrolments",
      {
        tenant_id: tenantId(),
        cohort_id: text().required(),
        email: text().required(),
        name: text().required(),
        user_id: number(),
        status: text(),
        motivation: text(),
        invited_at: text(),
        joined_at: text(),
        completed_at: text(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_progress: entity(
      "bootcamp_progress",
      {
        tenant_id: tenantId(),
        enrolment_id: text().required(),
        lesson_id: text().required(),
        completed_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_submissions: entity(
      "bootcamp_submissions",
      {
        tenant_id: tenantId(),
        assignment_id: text().required(),
        enrolment_id: text().required(),
        kind: text().required(),
        url: text(),
        file_key: text(),
        file_name: text(),
        file_type: text(),
        file_size: number(),
        note: text(),
        attempt: number(),
        open: number(),
        marking_state: text(),
        scores: text(),
        feedback: text(),
        reviewer_id: number(),
        submitted_at: text().required(),
        review_started_at: text(),
        released_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_certificates: entity(
      "bootcamp_certificates",
      {
        tenant_id: tenantId(),
        enrolment_id: text().required(),
        holder_name: text().required(),
        course_title: text().required(),
        issued_at: text().required(),
        revoked_at: text(),
        revoked_reason: text(),
      },
      { primary_format: "uuid" },
    ),
    // The bootcamp's player and quizzes (migrations/0026_bootcamp_depth.sql, decision 032).
    bootcamp_lesson_views: entity(
      "bootcamp_lesson_views",
      {
        tenant_id: tenantId(),
        enrolment_id: text().required(),
        lesson_id: text().required(),
        viewed_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_quizzes: entity(
      "bootcamp_quizzes",
      {
        tenant_id: tenantId(),
        course_id: text().required(),
        module_id: text().required(),
        title: text().required(),
        questions: text(),
        pass_percent: number(),
        max_attempts: number(),
        gates_next: number(),
        position: number(),
        archived_at: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    bootcamp_quiz_attempts: entity(
      "bootcamp_quiz_attempts",
      {
        tenant_id: tenantId(),
        quiz_id: text().required(),
        enrolment_id: text().required(),
        attempt: number().required(),
        answers: text().required(),
        score: number().required(),
        max_score: number().required(),
        passed: number().required(),
        submitted_at: text().required(),
      },
      { primary_format: "uuid" },
    ),
    // The client portal (migrations/0006_portal.sql): reached through /api/app/* and the domain verbs only.
    documents: entity(
      "documents",
      {
        tenant_id: tenantId(),
        title: text().required(),
        visibility: text().required(),
        current_version: number().required(),
        created_by: number(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    document_versions: entity(
      "document_versions",
      {
        tenant_id: tenantId(),
        document_id: text().required(),
        version: number().required(),
        file_name: text().required(),
        mime_type: text().required(),
        size_bytes: number().required(),
        sha256: text().required(),
        r2_key: text().required(),
        uploaded_by: number(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    file_requests: entity(
      "file_requests",
      {
        tenant_id: tenantId(),
        title: text().required(),
        description: text(),
        due_date: text(),
        status: text().required(),
        document_id: text(),
        review_comment: text(),
        requested_by: number(),
        reminded_at: text(),
        created_at: text(),
        updated_at: text(),
      },
      { primary_format: "uuid" },
    ),
    approvals: entity(
      "approvals",
      {
        tenant_id: tenantId(),
        document_id: text().required(),
        version_id: text().required(),
        version: number().required(),
        sha256: text().required(),
        status: text().required(),
        comment: text(),
        requested_by: number(),
        decided_by: number(),
        decided_at: text(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    messages: entity(
      "messages",
      {
        tenant_id: tenantId(),
        seq: number().required(),
        author_id: number(),
        author_name: text().required(),
        author_side: text().required(),
        body: text().required(),
        created_at: text(),
      },
      { primary_format: "uuid" },
    ),
    message_reads: entity("message_reads", {
      tenant_id: tenantId(),
      user_id: number().required(),
      last_seq: number().required(),
      updated_at: text(),
    }),
    // notifications (migrations/0020_notifications.sql): read and marked only through /api/app/notifications
    notifications: entity(
      "notifications",
      {
        tenant_id: tenantId(),
        recipient_id: number().required(),
        kind: text().required(),
        object_type: text().required(),
        object_id: text().required(),
        title: text().required(),
        excerpt: text(),
        actor_name: text(),
        variant: text(),
        channel: text().required(),
        email_status: text().required(),
        dedupe_key: text(),
        created_at: text().required(),
        read_at: text(),
        emailed_at: text(),
      },
      { primary_format: "uuid" },
    ),
    tenant_counters: entity("tenant_counters", {
      tenant_id: tenantId(),
      metric: text().required(),
      value: number().required(),
      updated_at: text(),
    }),
    tenant_active_days: entity("tenant_active_days", {
      tenant_id: tenantId(),
      day: text().required(),
      user_id: number().required(),
    }),
    // counters kept by triggers (migrations/0010_read_counters.sql)
    record_counts: entity("record_counts", {
      tenant_id: tenantId(),
      entity: text().required(),
      field: text().required(),
      value: text().required(),
      n: number().required(),
      sum_a: number().required(),
      sum_b: number().required(),
    }),
    task_due_counts: entity("task_due_counts", {
      tenant_id: tenantId(),
      project_id: text().required(),
      due_date: text().required(),
      n: number().required(),
    }),
    project_stats: entity("project_stats", {
      tenant_id: tenantId(),
      project_id: text().required(),
      is_open: number().required(),
      last_activity: text().required(),
    }),
    // the bootcamp's counters (migrations/0012_bootcamp_reads.sql)
    bootcamp_counts: entity("bootcamp_counts", {
      tenant_id: tenantId(),
      field: text().required(),
      value: text().required(),
      n: number().required(),
      sum_a: number().required(),
    }),
  },
  ({ index }, e) => {
    index(e.memberships).on(["tenant_id", "user_id"], true).on(["user_id", "tenant_id"]);
    index(e.invitations).on(["tenant_id", "created_at"]).on(["token_hash"], true);
    index(e.tenants).on(["subdomain"], true);
    index(e.clients)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "name"])
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "organization_id"])
      .on(["tenant_id", "updated_at"])
      .on(["tenant_id", "kind", "name"])
      .on(["tenant_id", "kind", "created_at"])
      .on(["name"])
      .on(["created_at"])
      .on(["updated_at"]);
    index(e.projects)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "client_id", "created_at"])
      .on(["tenant_id", "status", "name"])
      .on(["tenant_id", "status", "created_at"])
      .on(["tenant_id", "phase", "created_at"])
      .on(["tenant_id", "phase", "name"])
      .on(["tenant_id", "name"])
      .on(["tenant_id", "due_date"])
      .on(["tenant_id", "contact_id"])
      .on(["name"])
      .on(["created_at"])
      .on(["due_date"])
      .on(["status"]);
    index(e.tasks)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "project_id", "status", "created_at"])
      .on(["tenant_id", "project_id", "created_at"])
      .on(["tenant_id", "status", "created_at"])
      .on(["tenant_id", "status", "due_date"])
      .on(["tenant_id", "created_at"]);
    index(e.leads)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "client_id", "created_at"])
      .on(["tenant_id", "stage", "created_at"])
      .on(["tenant_id", "title"])
      .on(["tenant_id", "updated_at"])
      .on(["tenant_id", "value_cents"])
      .on(["tenant_id", "contact_id"])
      .on(["title"])
      .on(["created_at"])
      .on(["updated_at"])
      .on(["value_cents"])
      .on(["stage"]);
    index(e.notes)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "client_id", "created_at"])
      .on(["tenant_id", "lead_id", "created_at"]);
    index(e.audit_log)
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "entity", "created_at"])
      .on(["tenant_id", "entity", "entity_id", "created_at"]);
    index(e.intakes)
      .on(["tenant_id", "idempotency_key"], true)
      .on(["tenant_id", "lead_id"], true)
      .on(["tenant_id", "pm_user_id", "created_at"])
      .on(["project_tenant_id"]);
    index(e.project_phases).on(["tenant_id", "project_id", "position"], true);
    index(e.proposals)
      .on(["tenant_id", "project_id"], true)
      .on(["tenant_id", "created_at"])
      .on(["tenant_id", "id"], true);
    index(e.proposal_acceptances).on(["tenant_id", "proposal_id"], true);
    index(e.invoices)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "issue_date"])
      .on(["number"], true)
      .on(["tenant_id", "proposal_id"], true)
      .on(["tenant_id", "credit_of"], true)
      .on(["issue_date", "status", "currency", "kind", "total_minor", "paid_minor"])
      .on(["status", "due_date"]);
    index(e.invoice_payments).on(["tenant_id", "invoice_id"]).on(["provider", "provider_ref"], true);
    index(e.bootcamp_courses)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "slug"], true)
      .on(["tenant_id", "status", "position", "title"])
      .on(["tenant_id", "position", "title"]);
    index(e.bootcamp_modules).on(["tenant_id", "id"], true).on(["tenant_id", "course_id", "position"]);
    index(e.bootcamp_lessons)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "course_id", "position"])
      .on(["tenant_id", "module_id"]);
    index(e.bootcamp_assignments).on(["tenant_id", "id"], true).on(["tenant_id", "course_id", "position"]);
    index(e.bootcamp_cohorts)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "course_id", "start_date"])
      .on(["tenant_id", "start_date"]);
    index(e.bootcamp_cohort_instructors)
      .on(["tenant_id", "cohort_id", "user_id"], true)
      .on(["tenant_id", "user_id"]);
    index(e.bootcamp_enrolments)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "cohort_id", "email"], true)
      .on(["tenant_id", "user_id"])
      .on(["tenant_id", "email"])
      .on(["tenant_id", "status", "created_at"]);
    index(e.bootcamp_progress)
      .on(["tenant_id", "enrolment_id", "lesson_id"], true)
      .on(["tenant_id", "lesson_id"]);
    index(e.bootcamp_submissions)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "enrolment_id", "assignment_id"], true)
      .on(["tenant_id", "marking_state", "open", "submitted_at"])
      .on(["tenant_id", "assignment_id"]);
    index(e.bootcamp_certificates).on(["tenant_id", "enrolment_id"], true).on(["tenant_id", "issued_at"]);
    index(e.bootcamp_lesson_views)
      .on(["tenant_id", "enrolment_id", "lesson_id"], true)
      .on(["tenant_id", "enrolment_id", "viewed_at"])
      .on(["tenant_id", "lesson_id"]);
    index(e.bootcamp_quizzes)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "course_id", "position"])
      .on(["tenant_id", "module_id"]);
    index(e.bootcamp_quiz_attempts)
      .on(["tenant_id", "enrolment_id", "quiz_id", "attempt"], true)
      .on(["tenant_id", "quiz_id"]);
    index(e.documents)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "visibility", "updated_at"])
      .on(["tenant_id", "updated_at"]);
    index(e.document_versions)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "document_id", "version"], true);
    index(e.file_requests)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "status", "due_date", "created_at"])
      .on(["tenant_id", "created_at"]);
    index(e.approvals)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "status", "created_at"])
      .on(["tenant_id", "document_id"]);
    index(e.messages).on(["tenant_id", "seq"], true);
    index(e.message_reads).on(["tenant_id", "user_id"], true);
    index(e.tenant_counters).on(["tenant_id", "metric"], true);
    index(e.notifications)
      .on(["tenant_id", "id"], true)
      .on(["tenant_id", "dedupe_key"], true)
      .on(["tenant_id", "recipient_id", "created_at", "id"])
      .on(["recipient_id", "created_at", "id"])
      .on(["recipient_id", "read_at", "tenant_id"])
      .on(["email_status", "created_at"]);
    index(e.tenant_active_days).on(["tenant_id", "day", "user_id"], true);
    index(e.record_counts).on(["tenant_id", "entity", "field", "value"], true);
    index(e.task_due_counts).on(["tenant_id", "project_id", "due_date"], true).on(["due_date"]);
    index(e.bootcamp_counts).on(["tenant_id", "field", "value"], true);
    index(e.project_stats)
      .on(["tenant_id", "project_id"], true)
      .on(["tenant_id", "is_open", "last_activity"])
      .on(["is_open", "last_activity"]);
  },
);

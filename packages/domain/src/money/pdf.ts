/**
 * PDFs made in the Worker with pdf-lib (decision 028; stack-recipes-wave2 §6): an invoice or credit note, and
 * a proposal's acceptance record, in French or English. Standard Helvetica (Windows-1252: French accents and €
 * print; anything else is replaced, never thrown). `@fataplus/domain/pdf`, apart from the main entry, so that
 * nothing but the worker bundles pdf-lib.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import type { AcceptanceRecord } from "../intake/proposal-acceptance.ts";
import { formatMinor, formatMoney, formatVat, type InvoiceCurrency } from "../vocabulary/money.ts";
import { type Party, vatMentionText } from "./schemas.ts";
import type { Invoice } from "./store.ts";

type Lang = "fr" | "en";

const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

/** Text that Helvetica's WinAnsi encoding can print: narrow spaces become spaces, the rest outside it "?". */
export function printable(s: string): string {
  let out = "";
  for (const ch of s.replace(/[\u202f\u2009\u2007]/g, " ")) {
    const code = ch.codePointAt(0) ?? 0;
    out +=
      code === 10 || (code >= 32 && code <= 126) || (code >= 160 && code <= 255) || WIN_ANSI_EXTRA.has(ch)
        ? ch
        : "?";
  }
  return out;
}

const words = {
  fr: {
    invoice: "FACTURE",
    credit_note: "AVOIR",
    draft: "BROUILLON — sans valeur",
    number: "N°",
    issued: "Date d'émission",
    due: "Échéance",
    seller: "Émetteur",
    buyer: "Client",
    description: "Désignation",
    qty: "Qté",
    unit: "Prix unitaire HT",
    vat: "TVA",
    net: "Total HT",
    subtotal: "Total HT",
    vatOn: (rate: string, base: string) => `TVA ${rate} sur ${base}`,
    total: "Total TTC",
    paid: "Déjà réglé",
    balance: "Reste à payer",
    terms: "Conditions de paiement",
    bank: "Règlement par virement",
    creditOf: (n: string) => `Avoir annulant la facture ${n}`,
    latePenalty:
      "En cas de retard de paiement : pénalités au taux de 3 fois le taux d'intérêt légal et indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 du Code de commerce). Pas d'escompte pour paiement anticipé.",
    page: "Page",
    acceptance: "ATTESTATION D'ACCEPTATION",
    proposal: "Proposition",
    version: "Version",
    lines: "Lignes acceptées",
    optional: "option retenue",
    signer: "Signataire (nom saisi)",
    email: "Compte",
    at: "Acceptée le (UTC)",
    ip: "Adresse IP",
    ua: "Navigateur",
    hash: "Empreinte SHA-256 du contenu accepté",
    termsV: "Conditions acceptées (version)",
    sig: "Signature électronique simple : le signataire a saisi son nom et coché l'acceptation des conditions depuis son espace projet authentifié.",
  },
  en: {
    invoice: "INVOICE",
    credit_note: "CREDIT NOTE",
    draft: "DRAFT — not valid",
    number: "No.",
    issued: "Issue date",
    due: "Due date",
    seller: "From",
    buyer: "Bill to",
    description: "Description",
    qty: "Qty",
    unit: "Unit price excl. VAT",
    vat: "VAT",
    net: "Net",
    subtotal: "Total excl. VAT",
    vatOn: (rate: string, base: string) => `VAT ${rate} on ${base}`,
    total: "Total incl. VAT",
    paid: "Already paid",
    balance: "Balance due",
    terms: "Payment terms",
    bank: "Pay by bank transfer to",
    creditOf: (n: string) => `Credit note cancelling invoice ${n}`,
    latePenalty:
      "Late payment: penalties at three times the legal interest rate and a fixed EUR 40 recovery fee (French Commercial Code, art. L441-10). No discount for early payment.",
    page: "Page",
    acceptance: "ACCEPTANCE RECORD",
    proposal: "Proposal",
    version: "Version",
    lines: "Accepted lines",
    optional: "option chosen",
    signer: "Signatory (typed name)",
    email: "Account",
    at: "Accepted on (UTC)",
    ip: "IP address",
    ua: "Browser",
    hash: "SHA-256 of the accepted content",
    termsV: "Terms accepted (version)",
    sig: "Simple electronic signature: the signatory typed their name and ticked the terms from their signed-in project space.",
  },
} as const;

/** A page writer: lines from the top down, new pages as needed. */
class Writer {
  page: PDFPage;
  y: number;
  readonly doc: PDFDocument;
  readonly font: PDFFont;
  readonly bold: PDFFont;
  constructor(doc: PDFDocument, font: PDFFont, bold: PDFFont) {
    this.doc = doc;
    this.font = font;
    this.bold = bold;
    this.page = doc.addPage([595.28, 841.89]);
    this.y = 790;
  }
  need(h: number) {
    if (this.y - h < 60) {
      this.page = this.doc.addPage([595.28, 841.89]);
      this.y = 790;
    }
  }
  text(s: string, x: number, opts: { size?: number; bold?: boolean; y?: number; right?: boolean } = {}) {
    const size = opts.size ?? 9;
    const f = opts.bold ? this.bold : this.font;
    const t = printable(s);
    const w = f.widthOfTextAtSize(t, size);
    this.page.drawText(t, {
      x: opts.right ? x - w : x,
      y: opts.y ?? this.y,
      size,
      font: f,
      color: rgb(0.1, 0.1, 0.1),
    });
  }
  /** Words wrapped to `width`, as lines. */
  wrap(s: string, width: number, size = 9, bold = false): string[] {
    const f = bold ? this.bold : this.font;
    const out: string[] = [];
    for (const para of printable(s).split("\n")) {
      let line = "";
      for (const w of para.split(/\s+/)) {
        const next = line ? `${line} ${w}` : w;
        if (f.widthOfTextAtSize(next, size) > width && line) {
          out.push(line);
          line = w;
        } else line = next;
      }
      out.push(line);
    }
    return out;
  }
  para(s: string, x: number, width: number, size = 9) {
    for (const l of this.wrap(s, width, size)) {
      this.need(size + 3);
      this.text(l, x, { size });
      this.y -= size + 3;
    }
  }
  rule() {
    this.page.drawLine({
      start: { x: 50, y: this.y + 4 },
      end: { x: 545, y: this.y + 4 },
      thickness: 0.5,
      color: rgb(0.7, 0.7, 0.7),
    });
  }
}

function partyLines(p: Party | null): string[] {
  if (!p) return [];
  return [
    p.name,
    ...(p.address ? p.address.split("\n") : []),
    ...(p.nif ? [`NIF : ${p.nif}`] : []),
    ...(p.stat ? [`STAT : ${p.stat}`] : []),
    ...(p.siret ? [`SIRET : ${p.siret}`] : []),
    ...(p.vat_number ? [`TVA / VAT : ${p.vat_number}`] : []),
    ...(p.email ? [p.email] : []),
  ];
}

const qty = (milli: number, lang: Lang) => {
  const s = String(milli / 1000);
  return lang === "fr" ? s.replace(".", ",") : s;
};

const dateOf = (d: string, lang: Lang) => (lang === "fr" ? d.split("-").reverse().join("/") : d);

export async function invoicePdf(
  inv: Invoice,
  lang: Lang,
  creditOfNumber?: string | null,
): Promise<Uint8Array> {
  const t = words[lang];
  const doc = await PDFDocument.create();
  const kind = inv.kind === "credit_note" ? t.credit_note : t.invoice;
  doc.setTitle(`${kind} ${inv.number ?? ""}`.trim());
  doc.setCreator("Fataplus");
  doc.setProducer("Fataplus (pdf-lib)");
  doc.setCreationDate(new Date(inv.issued_at ?? inv.created_at));
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  const money = (m: number) => formatMinor(m, inv.currency as InvoiceCurrency, lang);

  w.text(kind, 50, { size: 20, bold: true });
  w.text(`${t.number} ${inv.number ?? "—"}`, 545, { size: 12, bold: true, right: true });
  w.y -= 18;
  if (inv.stored_status === "draft") {
    w.text(t.draft, 50, { size: 11, bold: true });
    w.y -= 14;
  }
  w.text(`${t.issued} : ${dateOf(inv.issue_date, lang)}`, 545, { right: true });
  w.y -= 12;
  if (inv.kind === "invoice") {
    w.text(`${t.due} : ${dateOf(inv.due_date, lang)}`, 545, { right: true });
    w.y -= 12;
  }
  if (inv.kind === "credit_note" && creditOfNumber) {
    w.text(t.creditOf(creditOfNumber), 545, { right: true });
    w.y -= 12;
  }
  w.y -= 10;
  const top = w.y;
  w.text(t.seller, 50, { bold: true });
  w.text(t.buyer, 320, { bold: true });
  const sl = partyLines(inv.seller);
  const bl = partyLines(inv.buyer);
  for (let i = 0; i < Math.max(sl.length, bl.length); i++) {
    w.y -= 12;
    if (sl[i]) w.text(sl[i] ?? "", 50);
    if (bl[i]) w.text(bl[i] ?? "", 320);
  }
  w.y = Math.min(w.y, top - 12) - 24;

  // the lines
  const cols = { desc: 50, qty: 330, unit: 420, vat: 465, net: 545 };
  w.text(t.description, cols.desc, { bold: true });
  w.text(t.qty, cols.qty, { bold: true, right: true });
  w.text(t.unit, cols.unit, { bold: true, right: true, size: 8 });
  w.text(t.vat, cols.vat, { bold: true, right: true });
  w.text(t.net, cols.net, { bold: true, right: true });
  w.y -= 6;
  w.rule();
  w.y -= 10;
  for (const l of inv.lines) {
    const desc = w.wrap(l.description, 260);
    w.need(desc.length * 12 + 4);
    w.text(qty(l.quantity_milli, lang), cols.qty, { right: true });
    w.text(money(l.unit_price_minor), cols.unit, { right: true });
    w.text(formatVat(l.vat_bp, lang), cols.vat, { right: true });
    w.text(money(l.net_minor), cols.net, { right: true });
    for (const d of desc) {
      w.text(d, cols.desc);
      w.y -= 12;
    }
    w.y -= 2;
  }
  w.rule();
  w.y -= 12;
  const total = (label: string, value: string, bold = false) => {
    w.need(14);
    w.text(label, 440, { right: true, bold });
    w.text(value, cols.net, { right: true, bold });
    w.y -= 13;
  };
  total(t.subtotal, money(inv.subtotal_minor));
  for (const v of inv.vat) total(t.vatOn(formatVat(v.vat_bp, lang), money(v.base_minor)), money(v.tax_minor));
  total(t.total, money(inv.total_minor), true);
  if (inv.kind === "invoice" && inv.paid_minor > 0) {
    total(t.paid, money(inv.paid_minor));
    total(t.balance, money(inv.total_minor - inv.paid_minor), true);
  }
  w.y -= 12;
  const mention = vatMentionText(inv.vat_mention, lang);
  if (mention) w.para(mention, 50, 495);
  if (inv.payment_terms) w.para(`${t.terms} : ${inv.payment_terms}`, 50, 495);
  if (inv.kind === "invoice" && inv.seller?.bank_details)
    w.para(`${t.bank} : ${inv.seller.bank_details}`, 50, 495);
  if (inv.notes) w.para(inv.notes, 50, 495);
  if (inv.kind === "invoice") {
    w.y -= 6;
    w.para(t.latePenalty, 50, 495, 7);
  }
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    p.drawText(printable(`${inv.number ?? ""} · ${t.page} ${i + 1}/${pages.length}`), {
      x: 50,
      y: 30,
      size: 7,
      font: w.font,
      color: rgb(0.4, 0.4, 0.4),
    });
  });
  return doc.save();
}

export async function acceptancePdf(r: AcceptanceRecord, lang: Lang): Promise<Uint8Array> {
  const t = words[lang];
  const doc = await PDFDocument.create();
  doc.setTitle(`${t.acceptance} — ${r.proposal.title}`);
  doc.setCreator("Fataplus");
  doc.setCreationDate(new Date(r.acceptance.accepted_at));
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );
  const money = (c: number) => formatMoney(c, lang, { currency: r.acceptance.currency, exact: true });
  w.text(t.acceptance, 50, { size: 16, bold: true });
  w.y -= 24;
  const row = (label: string, value: string) => {
    const lines = w.wrap(value, 330);
    w.need(lines.length * 12);
    w.text(label, 50, { bold: true });
    for (const l of lines) {
      w.text(l, 215);
      w.y -= 12;
    }
    w.y -= 2;
  };
  row(t.proposal, r.proposal.title);
  row(t.version, String(r.acceptance.version));
  row(t.signer, r.acceptance.signer_name);
  row(t.email, r.acceptance.signer_email);
  row(t.at, r.acceptance.accepted_at.replace("T", " ").replace(/\.\d+Z$/, " UTC"));
  row(t.ip, r.acceptance.source_ip);
  if (r.acceptance.user_agent) row(t.ua, r.acceptance.user_agent);
  row(t.termsV, "2026-12");
  row(t.hash, r.acceptance.content_hash);
  w.y -= 10;
  w.text(t.lines, 50, { bold: true, size: 11 });
  w.y -= 14;
  r.proposal.items.forEach((it, i) => {
    if (it.optional && !r.acceptance.options.includes(i)) return;
    const label = `${it.deliverable}${it.optional ? ` (${t.optional})` : ""}`;
    const lines = w.wrap(label, 400);
    w.need(lines.length * 12);
    w.text(money(it.price_cents), 545, { right: true });
    for (const l of lines) {
      w.text(l, 50);
      w.y -= 12;
    }
  });
  w.rule();
  w.y -= 12;
  w.text(t.subtotal, 440, { right: true, bold: true });
  w.text(money(r.acceptance.total_cents), 545, { right: true, bold: true });
  w.y -= 24;
  w.para(t.sig, 50, 495, 8);
  return doc.save();
}

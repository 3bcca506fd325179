/** Real file bytes for upload tests: a type sniffer recognises them, and every call can differ (so hashes do). */
const enc = new TextEncoder();

/** A small valid PDF whose text makes every file different. */
export function pdfBytes(text = "Fataplus"): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    enc.encode(
      `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    ),
  );
}

/** The PNG signature and an IHDR chunk: enough for a type sniffer. */
export function pngBytes(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0,
    1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
  ]);
}

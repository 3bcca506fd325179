import { describe, expect, it } from "vitest";
import { describeDevice } from "./device";

describe("describeDevice", () => {
  it("names the browser and the system a person recognises", () => {
    const cases: Array<[string, string]> = [
      ["Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox · Linux"],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
        "Edge · Windows",
      ],
      [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Safari · iOS",
      ],
      [
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
        "Chrome · Android",
      ],
      ["curl/8.5.0", "curl"],
    ];
    for (const [ua, said] of cases) expect(describeDevice(ua, "?"), ua).toBe(said);
  });

  it("says unknown rather than guessing", () => {
    expect(describeDevice(null, "Appareil inconnu")).toBe("Appareil inconnu");
    expect(describeDevice("", "Appareil inconnu")).toBe("Appareil inconnu");
    expect(describeDevice("SomeBot/1.0", "Appareil inconnu")).toBe("Appareil inconnu");
  });
});

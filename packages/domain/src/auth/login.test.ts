import { describe, expect, it } from "vitest";
import { clientKey } from "./throttle.ts";

describe("throttle keys", () => {
  it("count IPv4 addresses one by one and IPv6 addresses by /64", () => {
    expect(clientKey("203.0.113.7")).toBe("ip:203.0.113.7");
    expect(clientKey("2001:db8:5ee:beef::1")).toBe("ip6:2001:db8:5ee:beef::/64");
    expect(clientKey("2001:DB8:5EE:BEEF:aaaa:bbbb:cccc:dddd")).toBe("ip6:2001:db8:5ee:beef::/64");
    expect(clientKey("2001:db8::1")).toBe("ip6:2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("ip6:0:0:0:0::/64");
    expect(clientKey("2001:db8:5ee:beef:1::")).toBe("ip6:2001:db8:5ee:beef::/64");
  });
});

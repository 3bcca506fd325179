/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /**
     * Tenant subdomain taken from the Host header by src/middleware.ts (`acme` on acme.fata.plus),
     * or null on the marketing site and on prerendered pages.
     */
    tenant: string | null;
  }
}

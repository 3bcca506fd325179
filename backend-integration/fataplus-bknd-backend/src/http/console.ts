/**
 * Imported first by the worker's entry, before bknd and every library: their console calls (and the references
 * to console methods they keep) go through the structured console from the start (src/http/observe.ts).
 */
import { installStructuredConsole } from "./observe.ts";

installStructuredConsole();

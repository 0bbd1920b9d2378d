/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

// Single fetch changes the types of loader and action data (Remix v3 flag).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// What scripts/server.ts hands every loader and action: the client's address
// as the connection (and TRUST_PROXY) tells it. Absent when a route is called
// directly (tests).
declare module "@remix-run/node" {
  interface AppLoadContext {
    clientAddress?: string;
  }
}

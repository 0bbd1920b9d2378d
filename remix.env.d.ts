/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

// Single fetch changes the types of loader and action data (Remix v3 flag).
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

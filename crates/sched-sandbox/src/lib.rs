//! Sandbox organisations: an Argonaut Scheduling server with a SMART Backend Services authorization server.

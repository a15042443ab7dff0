//! FHIR STU3 scheduling client for the Argonaut Scheduling IG.
